-- How much of each document's money is mapped to proposals, per year, measure and budget
-- kind: the total, the mapped part (a line's share counted up to 100 %), the share, and the
-- lines left unmapped or mapped to more than 100 %. An organisation's own total (its ram)
-- counts only where the same document has no finer lines for it, so nothing is counted twice.
-- Facts are summed per line before the labels are joined (mapping_line_labels has one row
-- per organisation and line item). Whether a slice has finer lines for an organisation is
-- decided on the few (slice, organisation) groups, not with a subquery over every line.
with sums as (
    select
        doc_year,
        year,
        document,
        actor,
        budget_kind,
        measure,
        period,
        organisation,
        line_item,
        sum(amount_sek) as amount_sek
    from facts
    group by all
),

all_lines as (
    select s.*, coalesce(lab.is_org_total, false) as is_org_total
    from sums as s
    -- only the org-total labels: a small hash table instead of one row per line
    left join (select * from mapping_line_labels where is_org_total) as lab
        on lab.organisation = s.organisation
        and lab.line_item is not distinct from s.line_item
),

finer as (
    select distinct organisation, doc_year, year, document, actor, budget_kind, measure, period
    from all_lines
    where not is_org_total
),

lines as (
    select a.*
    from all_lines as a
    left join finer as b
        on a.is_org_total
        and b.organisation = a.organisation
        and b.doc_year is not distinct from a.doc_year
        and b.year = a.year
        and b.document = a.document
        and b.actor = a.actor
        and b.budget_kind = a.budget_kind
        and b.measure = a.measure
        and b.period is not distinct from a.period
    where b.organisation is null
),

shares as (
    select
        document, actor, budget_kind, organisation, line_item, year, sum(share) as share
    from mapping_matches
    group by document, actor, budget_kind, organisation, line_item, year
),

joined as (
    select l.*, coalesce(s.share, 0) as share
    from lines as l
    left join shares as s
        on s.document = l.document
        and s.actor = l.actor
        and s.budget_kind = l.budget_kind
        and s.organisation = l.organisation
        and s.line_item is not distinct from l.line_item
        and s.year = l.year
),

final as (
    select
        doc_year,
        year,
        document,
        actor,
        budget_kind,
        measure,
        period,
        cast(sum(amount_sek) as decimal(18, 2)) as total_sek,
        cast(sum(amount_sek * least(share, 1)) as decimal(18, 2)) as mapped_sek,
        sum(amount_sek * least(share, 1)) / nullif(sum(amount_sek), 0) as mapped_share,
        count(*) as line_count,
        count(*) filter (where share = 0) as unmapped_lines,
        count(*) filter (where share > 1.00001) as over_mapped_lines
    from joined
    group by doc_year, year, document, actor, budget_kind, measure, period
)

select * from final
