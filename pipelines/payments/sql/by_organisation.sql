-- Payments per nämnd and category in one year (or all years).
-- Parameters: year (or null), categories (list or null).
with filtered as (
    select coalesce(organisation, '(okänd)') as organisation, category, amount_sek, payments
    from payment_summary
    where (?::integer is null or year = ?::integer)
      and (?::varchar[] is null or list_contains(?::varchar[], category))
),

final as (
    select organisation, category, sum(amount_sek) as amount_sek, sum(payments) as payments
    from filtered
    group by all
    order by organisation, category
)

select * from final
