-- Operating budget facts of the given organisations: the municipality's adopted budget, one
-- document per organisation and year (the budget adopted for that year when loaded, else the
-- latest document that states it), whole-year amounts only.
with budget as (
    select organisation, year, doc_year, line_item, amount_sek,
           source_file, source_sheet, source_cell
    from facts
    where document = 'budget'
      and actor = 'kommunen'
      and budget_kind = 'drift'
      and measure = 'budget'
      and period is null
      and list_contains(?::varchar[], organisation)
),

chosen as (
    select organisation, year,
           arg_max(doc_year, (case when doc_year = year then 100000 else 0 end) + doc_year)
               as doc_year
    from budget
    group by organisation, year
),

final as (
    select b.organisation, b.year, b.doc_year, b.line_item, b.amount_sek::double as amount_sek,
           b.source_file, b.source_sheet, b.source_cell
    from budget as b
    join chosen as c using (organisation, year, doc_year)
    order by b.organisation, b.year, b.line_item
)

select * from final
