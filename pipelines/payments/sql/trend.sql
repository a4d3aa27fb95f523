-- Payments per period (year or quarter) and category, for one nämnd or all.
-- Parameters: grain ('year' | 'quarter'), organisation (or null), categories (list or null).
with filtered as (
    select year, quarter, category, amount_sek, payments
    from payment_summary
    where (?::varchar is null or organisation = ?::varchar)
      and (?::varchar[] is null or list_contains(?::varchar[], category))
),

final as (
    select
        case when ?::varchar = 'quarter' and quarter is not null
             then year || ' K' || quarter else cast(year as varchar) end as period,
        category,
        sum(amount_sek) as amount_sek,
        sum(payments) as payments
    from filtered
    group by all
    order by period, category
)

select * from final
