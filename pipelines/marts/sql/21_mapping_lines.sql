-- Every budget line (document, actor, budget kind, organisation, line item) with how much of
-- it is mapped: the review page's worklist and the over-100 % check. `amount_sek` is the
-- line's largest yearly budget or plan figure (any measure when it has neither), so the
-- largest money comes first. `status`: okopplad, delvis (some years or under 100 %),
-- kopplad, över 100 %. `is_org_total`: the line only names its organisation (its ram).
with lines as (
    select
        document,
        actor,
        budget_kind,
        organisation,
        line_item,
        year,
        max(abs(amount_sek)) filter (where measure in ('budget', 'plan')) as budget_amount,
        max(abs(amount_sek)) as any_amount
    from facts
    group by document, actor, budget_kind, organisation, line_item, year
),

shares as (
    select
        document,
        actor,
        budget_kind,
        organisation,
        line_item,
        year,
        any_value(canonical_line_item) as canonical_line_item,
        sum(share) as share,
        list(distinct proposal_id order by proposal_id) as proposal_ids,
        list(distinct rule_id order by rule_id) as rule_ids
    from mapping_matches
    group by document, actor, budget_kind, organisation, line_item, year
),

per_year as (
    select
        l.*,
        coalesce(s.share, 0) as share,
        s.canonical_line_item,
        s.proposal_ids,
        s.rule_ids,
        lab.is_org_total
    from lines as l
    left join shares as s
        on s.document = l.document
        and s.actor = l.actor
        and s.budget_kind = l.budget_kind
        and s.organisation = l.organisation
        and s.line_item is not distinct from l.line_item
        and s.year = l.year
    left join mapping_line_labels as lab
        on lab.organisation = l.organisation
        and lab.line_item is not distinct from l.line_item
),

final as (
    select
        document,
        actor,
        budget_kind,
        organisation,
        line_item,
        coalesce(any_value(canonical_line_item), line_item) as canonical_line_item,
        coalesce(any_value(is_org_total), false) as is_org_total,
        list(distinct year order by year) as years,
        max(year) as last_year,
        cast(coalesce(max(budget_amount), max(any_amount)) as decimal(18, 2)) as amount_sek,
        min(share) as share_min,
        max(share) as share_max,
        list_sort(list_distinct(flatten(list(proposal_ids)))) as proposal_ids,
        list_sort(list_distinct(flatten(list(rule_ids)))) as rule_ids,
        case
            when max(share) = 0 then 'okopplad'
            when max(share) > 1.00001 then 'över 100 %'
            when min(share) < 0.99999 then 'delvis'
            else 'kopplad'
        end as status
    from per_year
    group by document, actor, budget_kind, organisation, line_item
)

select * from final
