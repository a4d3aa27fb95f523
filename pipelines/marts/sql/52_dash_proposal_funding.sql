-- proposal_funding with fixed prices and per invånare: every row of the mapping's mart
-- (by year, document, measure, actor, budget kind and period), priced like dash_facts.
with funding as (
    select
        proposal_id,
        year,
        document,
        measure,
        actor,
        budget_kind,
        period,
        cast(amount_sek as double) as amount_sek
    from proposal_funding
),

price as (
    select
        year,
        index_value,
        base_year,
        max(index_value) filter (where year = base_year) over () as base_index
    from ref_price_index
),

population as (
    select year, invanare from ref_population where is_total
),

priced as (
    select
        funding.*,
        price.base_year as fixed_base_year,
        case when price.index_value > 0
            then funding.amount_sek * price.base_index / price.index_value end
            as amount_fixed_sek
    from funding
    left join price using (year)
),

final as (
    select
        priced.*,
        population.invanare,
        amount_sek / nullif(population.invanare, 0) as amount_per_invanare,
        amount_fixed_sek / nullif(population.invanare, 0) as amount_fixed_per_invanare
    from priced
    asof left join population on priced.year >= population.year
)

select * from final
