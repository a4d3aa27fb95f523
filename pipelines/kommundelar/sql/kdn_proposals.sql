-- Proposals of the program that name Kommundelsnämnderna (local needs, dialog or execution).
with named as (
    select proposal_id, section, title, text, local_bodies
    from proposals
    where kommundel_relevant
),

final as (
    select * from named order by proposal_id
)

select * from final
