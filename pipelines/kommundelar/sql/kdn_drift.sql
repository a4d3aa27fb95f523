-- Operating budget facts of the given organisations from the municipality's adopted budget,
-- whole-year amounts. A year's budget is read from the latest Mål och budget that states it
-- (the same rule as the dash_facts mart), so Budget 2025 restated in the 2026 document wins.
-- A nämnd's own total row and its verksamhet lines are never added together.
with budget as (
    select organisation, year, doc_year, line_item, amount_sek,
           source_file, source_sheet, source_cell,
           (line_item is null or lower(trim(line_item)) = lower(organisation)) as is_org_total
    from facts
    where document = 'budget'
      and actor = 'kommunen'
      and budget_kind = 'drift'
      and measure = 'budget'
      and period is null
),

chosen as (
    select year, max(doc_year) as doc_year
    from budget
    group by year
),

finer as (
    select distinct organisation, year, doc_year from budget where not is_org_total
),

final as (
    select b.organisation, b.year, b.doc_year, b.line_item, b.amount_sek::double as amount_sek,
           b.source_file, b.source_sheet, b.source_cell
    from budget as b
    join chosen as c using (year, doc_year)
    left join finer as f using (organisation, year, doc_year)
    where list_contains(?::varchar[], b.organisation)
      -- the KDN's own total counts only where the document has no finer lines for it
      and (not b.is_org_total or f.organisation is null)
    order by b.organisation, b.year, b.line_item
)

select * from final
