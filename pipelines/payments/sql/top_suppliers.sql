-- The suppliers that received the most, with their category, the rule that decided it and
-- their share of all payments in the selection.
-- Parameters: year (or null), organisation (or null), categories (list or null), limit.
with filtered as (
    select supplier, org_nr, category, category_rule, amount_sek, payments
    from payment_summary
    where (?::integer is null or year = ?::integer)
      and (?::varchar is null or organisation = ?::varchar)
      and (?::varchar[] is null or list_contains(?::varchar[], category))
),

per_supplier as (
    select
        coalesce(supplier, '(namn saknas)') as supplier,
        org_nr,
        category,
        category_rule,
        sum(amount_sek) as amount_sek,
        sum(payments) as payments
    from filtered
    group by all
),

final as (
    select *, amount_sek / nullif(sum(amount_sek) over (), 0) as share
    from per_supplier
    order by amount_sek desc, supplier
    limit ?
)

select * from final
