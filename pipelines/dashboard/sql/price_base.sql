-- The year whose prices "fixed prices" are expressed in, and the index's range.
with final as (
    select max(base_year) as base_year, min(year) as first_year, max(year) as last_year
    from ref_price_index
)

select * from final
