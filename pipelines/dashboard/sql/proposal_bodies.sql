-- The bodies a proposal names, by role. Parameter: proposal_id.
with final as (
    select role, body, published_name, known, ordinal
    from proposal_bodies
    where proposal_id = ?
)

select * from final
order by case role when 'decision' then 1 when 'executing' then 2 else 3 end, ordinal
