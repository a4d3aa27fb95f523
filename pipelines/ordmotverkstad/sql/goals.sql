-- Every goal assessment from the delårsrapporter and bokslut, newest report first.
with goals as (
    select doc_year, period, organisation, goal, assessment, analysis,
           source_file, source_sheet, source_cell
    from goals
),

final as (
    select * from goals
    order by doc_year desc, period desc nulls first, organisation nulls first, goal
)

select * from final
