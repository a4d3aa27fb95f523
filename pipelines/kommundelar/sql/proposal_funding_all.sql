-- Funding of the given proposals, every year, per document and measure.
with funding as (
    select proposal_id::varchar as proposal_id, year, document, measure,
           sum(amount_sek)::double as amount_sek
    from proposal_funding
    where list_contains(?::varchar[], proposal_id::varchar)
    group by all
),

final as (
    select * from funding order by proposal_id, year, document, measure
)

select * from final
