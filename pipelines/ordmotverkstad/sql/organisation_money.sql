-- Operating money per organisation and year, and for the whole municipality (organisation
-- null): adopted budget, prognos helår from the latest delårsrapport and utfall from the
-- bokslut, nominal and in fixed prices, each read from the latest document that states it
-- (the dash_facts mart's rule).
with counted as (
    -- in_total: a nämnd stated both as one line and split into verksamheter counts once,
    -- exactly as on Översikt and Jämför år (see the dash_facts mart)
    select organisation, year, measure, amount_sek, amount_fixed_sek, fixed_base_year,
           source_file
    from dash_facts
    where is_latest
      and in_total
      and actor = 'kommunen'
      and budget_kind = 'drift'
      and period is null
      and ((document = 'budget' and measure = 'budget')
        or (document = 'delarsrapport' and measure = 'prognos')
        or (document = 'bokslut' and measure = 'utfall'))
),

grouped as (
    select organisation, year, measure,
           sum(amount_sek) as nominal_sek,
           -- a fixed-price sum only when every fact of the group has an index year
           case when count(amount_fixed_sek) = count(*) then sum(amount_fixed_sek) end
               as fixed_sek,
           max(fixed_base_year) as fixed_base_year,
           count(*) as n_facts,
           string_agg(distinct source_file, ', ' order by source_file) as source_files
    from counted
    group by grouping sets ((organisation, year, measure), (year, measure))
),

final as (
    select * from grouped order by organisation nulls first, year, measure
)

select * from final
