-- A workflow state can now be "declined" (finished without the work delivered), which the done
-- and on-time figures leave out. The default workflows' "rejected" states are declined; existing
-- projects' workflows get the same flag on every done state whose key is "rejected".
UPDATE `categories` SET `workflow` = json_set(`workflow`, '$.states', json((
  SELECT json_group_array(CASE
    WHEN json_extract(s.value, '$.key') = 'rejected' AND json_extract(s.value, '$.done') = 1 THEN json_set(s.value, '$.declined', json('true'))
    ELSE json(s.value) END)
  FROM json_each(`workflow`, '$.states') s
))) WHERE EXISTS (
  SELECT 1 FROM json_each(`workflow`, '$.states') s WHERE json_extract(s.value, '$.key') = 'rejected' AND json_extract(s.value, '$.done') = 1
);
