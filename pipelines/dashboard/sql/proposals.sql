-- The program's proposals (data contract), municipal level first.
with final as (
    select * from proposals
)

select * from final order by level = 'kommun' desc, proposal_id
