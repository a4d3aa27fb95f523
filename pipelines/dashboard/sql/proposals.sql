-- The program's proposals, municipal level first, in the order of the program.
with final as (
    select * from proposals
)

select * from final order by level = 'kommun' desc, ordinal nulls last, proposal_id
