-- A proposal's money as the pages show it (from the mart dash_proposal_funding): one kind of
-- money (drift or investering), whole-year figures only (no utfall jan–aug), and of a budget
-- proposal only the party's own figures. Parameters: budget_kind, party, proposal_id twice
-- (null: every proposal).
with picked as (
    select *
    from dash_proposal_funding
    where budget_kind = ?
        and period is null
        and (document <> 'forslag' or actor = ?)
        and (? is null or proposal_id = ?)
),

final as (
    select
        proposal_id,
        year,
        document,
        measure,
        sum(amount_sek) as amount_sek,
        any_value(fixed_base_year) as fixed_base_year,
        sum(amount_fixed_sek) as amount_fixed_sek,
        any_value(invanare) as invanare,
        sum(amount_per_invanare) as amount_per_invanare,
        sum(amount_fixed_per_invanare) as amount_fixed_per_invanare
    from picked
    group by proposal_id, year, document, measure
)

select * from final order by proposal_id, year, document, measure
