-- Phase notices: each team is told when its call's dates move it on (요건 검토,
-- 평가, 협약). `told_phase` is the last phase told (or the one the call was
-- published in); the job that tells claims the change by updating it, so two
-- instances never tell twice. Calls that exist start from their phase today.
ALTER TABLE calls ADD COLUMN told_phase TEXT;
UPDATE calls SET told_phase = CASE
    WHEN (now() AT TIME ZONE 'Asia/Seoul')::date >= agreement_on THEN 'agreement'
    WHEN (now() AT TIME ZONE 'Asia/Seoul')::date >= announce_on THEN 'announced'
    WHEN (now() AT TIME ZONE 'Asia/Seoul')::date >= evaluation_on THEN 'evaluation'
    WHEN (now() AT TIME ZONE 'Asia/Seoul')::date > closes_on THEN 'review'
    WHEN (now() AT TIME ZONE 'Asia/Seoul')::date >= opens_on THEN 'open'
    ELSE 'upcoming' END;
