-- The choices the page offers: years, nämnder and categories present in the payments.
with years as (
    select list(distinct year order by year) as years from payment_summary
),

orgs as (
    select list(distinct organisation order by organisation) as organisations
    from payment_summary
    where organisation is not null
),

categories as (
    select list(distinct category order by category) as categories from payment_summary
),

final as (
    select years.years, orgs.organisations, categories.categories
    from years, orgs, categories
)

select * from final
