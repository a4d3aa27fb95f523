-- Every slice a page can offer, newest first.
with final as (
    select * from dash_slices
)

select * from final
order by year desc, document, measure, actor, budget_kind, doc_year desc, doc_period desc
