-- Investment budget per project for one year, with the kommundel the project lies in when
-- the importer recorded it (fact_rows.kommundel) and the organisation otherwise.
with inv as (
    select f.organisation, f.year, f.doc_year, f.line_item, f.kommundel,
           f.amount_sek, f.source_file, f.source_sheet, f.source_cell
    from fact_rows as f
    where f.document = 'budget'
      and f.actor = 'kommunen'
      and f.budget_kind = 'investering'
      and f.measure = 'budget'
      and f.period is null
      and f.year = ?
),

chosen as (
    -- the latest Mål och budget that states the year, as for drift
    select max(doc_year) as doc_year
    from inv
),

final as (
    select i.kommundel, i.organisation, i.year, i.doc_year, i.line_item,
           i.amount_sek::double as amount_sek, i.source_file, i.source_sheet, i.source_cell
    from inv as i
    join chosen as c using (doc_year)
    order by i.kommundel, i.amount_sek desc
)

select * from final
