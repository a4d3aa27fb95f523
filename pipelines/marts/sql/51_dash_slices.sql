-- One row per comparable slice: a document's figures for one year, measure, actor, kind and
-- period. The Jämför år page offers these; the totals let a test check the page's sums.
with by_slice as (
    select
        doc_id,
        any_value(doc_file) as doc_file,
        any_value(doc_year) as doc_year,
        any_value(doc_period) as doc_period,
        document,
        actor,
        budget_kind,
        measure,
        year,
        period,
        bool_and(is_latest) as is_latest,
        count(*) filter (where in_total) as n_facts,
        count(distinct organisation) as n_organisations,
        sum(amount_sek) filter (where in_total) as amount_sek,
        sum(amount_fixed_sek) filter (where in_total) as amount_fixed_sek
    from dash_facts
    group by doc_id, document, actor, budget_kind, measure, year, period
),

final as (
    select * from by_slice
)

select * from final
