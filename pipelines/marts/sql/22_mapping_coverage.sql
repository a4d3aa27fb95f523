-- How much of each document's money is mapped to proposals, per year, measure and budget
-- kind: the total, the mapped part (a line's share counted up to 100 %), the share, and the
-- lines left unmapped or mapped to more than 100 %. An organisation's own total (its ram)
-- counts only where the same document has no finer lines for it, so nothing is counted twice.
with all_lines as (
    select
        f.doc_year,
        f.year,
        f.document,
        f.actor,
        f.budget_kind,
        f.measure,
        f.period,
        f.organisation,
        f.line_item,
        sum(f.amount_sek) as amount_sek,
        coalesce(any_value(lab.is_org_total), false) as is_org_total
    from facts as f
    left join mapping_line_labels as lab
        on lab.organisation = f.organisation
        and lab.line_item is not distinct from f.line_item
    group by all
),

lines as (
    select *
    from all_lines as a
    where not a.is_org_total
        or not exists (
            select 1
            from all_lines as b
            where not b.is_org_total
                and b.organisation = a.organisation
                and b.doc_year is not distinct from a.doc_year
                and b.year = a.year
                and b.document = a.document
                and b.actor = a.actor
                and b.budget_kind = a.budget_kind
                and b.measure = a.measure
                and b.period is not distinct from a.period
        )
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
