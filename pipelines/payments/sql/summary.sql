-- Payments summed per year, quarter, nämnd, category and supplier: what the page reads.
-- Rebuilt after every payments load and rule change, so the page never scans every payment.
with final as (
    select
        year,
        quarter,
        organisation,
        category,
        category_rule,
        supplier,
        org_nr,
        sum(amount_sek) as amount_sek,
        count(*) as payments
    from payments
    group by all
)

select * from final
