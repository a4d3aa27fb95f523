-- Funding of the given proposals in one year, per document and measure.
with funding as (
    select proposal_id, document, measure, sum(amount_sek)::double as amount_sek
    from proposal_funding
    where year = ?
      and list_contains(?::varchar[], proposal_id::varchar)
    group by proposal_id, document, measure
),

final as (
    select * from funding order by proposal_id, document, measure
)

select * from final
