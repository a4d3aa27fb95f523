-- Every budget line (document, actor, budget kind, organisation, line item) with how much of
-- it is mapped: the review page's worklist and the over-100 % check. `amount_sek` is the
-- line's largest yearly budget or plan figure (any measure when it has neither), so the
-- largest money comes first. `status`: okopplad, delvis (some years or under 100 %),
-- kopplad, över 100 %. `is_org_total`: the line only names its organisation (its ram).
-- Facts are grouped once per line (not per line and year, then again): a year without a
-- matching rule has share 0, so the smallest share is 0 unless every year of the line has
-- rules, and the per-year shares are needed only for the few lines that have any.
-- No distinct aggregates: DuckDB runs each one as a group by of its own, joined back. A line's
-- years are the sorted distinct list of its facts' years (year is never null), and the
-- per-year lists of rules and proposals are deduplicated once, per line.
with lines as (
    select
        document,
        actor,
        budget_kind,
        organisation,
        line_item,
        list_sort(list_distinct(list(year))) as years,
        max(year) as last_year,
        max(abs(amount_sek)) filter (where measure in ('budget', 'plan')) as budget_amount,
        max(abs(amount_sek)) as any_amount
    from facts
    group by document, actor, budget_kind, organisation, line_item
),

per_year as (
    select
        document,
        actor,
        budget_kind,
        organisation,
        line_item,
        year,
        any_value(canonical_line_item) as canonical_line_item,
        sum(share) as share,
        list(proposal_id) as proposal_ids,
        list(rule_id) as rule_ids
    from mapping_matches
    group by document, actor, budget_kind, organisation, line_item, year
),

shares as (
    select
        document,
        actor,
        budget_kind,
        organisation,
        line_item,
        any_value(canonical_line_item) as canonical_line_item,
        count(*) as year_count,  -- one per_year row per year
        min(share) as share_min,
        max(share) as share_max,
        list_sort(list_distinct(flatten(list(proposal_ids)))) as proposal_ids,
        list_sort(list_distinct(flatten(list(rule_ids)))) as rule_ids
    from per_year
    group by document, actor, budget_kind, organisation, line_item
),

joined as (
    select
        l.document,
        l.actor,
        l.budget_kind,
        l.organisation,
        l.line_item,
        coalesce(s.canonical_line_item, l.line_item) as canonical_line_item,
        coalesce(lab.is_org_total, false) as is_org_total,
        l.years,
        l.last_year,
        cast(coalesce(l.budget_amount, l.any_amount) as decimal(18, 2)) as amount_sek,
        case when s.year_count = len(l.years) then s.share_min else 0 end as share_min,
        coalesce(s.share_max, 0) as share_max,
        coalesce(s.proposal_ids, []::varchar[]) as proposal_ids,
        coalesce(s.rule_ids, []::varchar[]) as rule_ids
    from lines as l
    left join shares as s
        on s.document = l.document
        and s.actor = l.actor
        and s.budget_kind = l.budget_kind
        and s.organisation = l.organisation
        and s.line_item is not distinct from l.line_item
    -- only the org-total labels: a small hash table instead of one row per line
    left join (select * from mapping_line_labels where is_org_total) as lab
        on lab.organisation = l.organisation
        and lab.line_item is not distinct from l.line_item
),

final as (
    select
        *,
        case
            when share_max = 0 then 'okopplad'
            when share_max > 1.00001 then 'över 100 %'
            when share_min < 0.99999 then 'delvis'
            else 'kopplad'
        end as status
    from joined
)

select * from final
