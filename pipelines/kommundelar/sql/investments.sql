-- Investment budget per project for one year (every year when the parameter is null), with
-- the kommundel the project lies in when the importer recorded it (fact_lines.kommundel).
with inv as (
    select f.organisation, f.year, f.doc_year, f.line_item, f.kommundel,
           f.amount_sek, f.source_file, f.source_sheet, f.source_cell
    from fact_rows as f
    where f.document = 'budget'
      and f.actor = 'kommunen'
      and f.budget_kind = 'investering'
      and f.measure = 'budget'
      and f.period is null
      and (?::integer is null or f.year = ?)
),

chosen as (
    -- the latest Mål och budget that states the year, as for drift
    select year, max(doc_year) as doc_year
    from inv
    group by year
),

final as (
    select i.kommundel, i.organisation, i.year, i.doc_year, i.line_item,
           i.amount_sek::double as amount_sek, i.source_file, i.source_sheet, i.source_cell
    from inv as i
    join chosen as c using (year, doc_year)
    order by i.year, i.kommundel, i.amount_sek desc
)

select * from final
