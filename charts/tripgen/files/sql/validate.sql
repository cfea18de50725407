-- TripGen data validation: fails (psql exits non-zero under ON_ERROR_STOP) when the sample data is
-- incomplete or the data breaks an integrity rule that constraints alone cannot express.
-- Run by the database-validation hook Job: psql -v ON_ERROR_STOP=1 -f validate.sql

DO $$
DECLARE
    problems TEXT[] := ARRAY[]::TEXT[];
    n BIGINT;
BEGIN
    SELECT count(*) INTO n FROM users WHERE email LIKE '%@tripgen.dev';
    IF n <> 10 THEN problems := problems || format('expected 10 sample users, found %s', n); END IF;

    SELECT count(DISTINCT role) INTO n FROM users WHERE email LIKE '%@tripgen.dev';
    IF n < 3 THEN problems := problems || format('expected sample users at 3 or more permission levels, found %s', n); END IF;

    SELECT count(*) INTO n FROM users WHERE role = 'admin';
    IF n < 1 THEN problems := problems || 'no admin user'::TEXT; END IF;

    SELECT count(*) INTO n FROM destinations WHERE code LIKE 'KR-%' AND is_domestic;
    IF n <> 50 THEN problems := problems || format('expected 50 domestic sample destinations, found %s', n); END IF;

    SELECT count(*) INTO n FROM destinations WHERE code LIKE 'XX-%' AND NOT is_domestic;
    IF n <> 50 THEN problems := problems || format('expected 50 sample destinations abroad, found %s', n); END IF;

    SELECT count(*) INTO n FROM destinations WHERE is_domestic <> (country = 'South Korea');
    IF n > 0 THEN problems := problems || format('%s destinations have is_domestic disagreeing with their country', n); END IF;

    SELECT count(*) INTO n FROM places WHERE code LIKE 'KR-%' OR code LIKE 'XX-%';
    IF n <> 500 THEN problems := problems || format('expected 500 sample places, found %s', n); END IF;

    SELECT count(DISTINCT category) INTO n FROM places;
    IF n <> 8 THEN problems := problems || format('expected places in all 8 categories, found %s', n); END IF;

    SELECT count(*) INTO n FROM destinations d
    WHERE NOT EXISTS (SELECT 1 FROM places p WHERE p.destination_id = d.id);
    IF n > 0 THEN problems := problems || format('%s destinations have no places', n); END IF;

    SELECT count(*) INTO n FROM places p JOIN destinations d ON d.id = p.destination_id
    WHERE abs(p.latitude - d.latitude) > 1 OR abs(p.longitude - d.longitude) > 1;
    IF n > 0 THEN problems := problems || format('%s places lie more than 1 degree from their destination', n); END IF;

    SELECT count(*) INTO n FROM places WHERE closes_at <= opens_at;
    IF n > 0 THEN problems := problems || format('%s places close before they open', n); END IF;

    SELECT count(*) INTO n FROM itinerary_templates WHERE code LIKE 'TPL-%';
    IF n <> 20 THEN problems := problems || format('expected 20 itinerary templates, found %s', n); END IF;

    -- Every place a template plans must exist and belong to the template's destination.
    SELECT count(*) INTO n
    FROM itinerary_templates t,
         jsonb_array_elements(t.plan) AS day,
         jsonb_array_elements_text(day -> 'places') AS place_code
    WHERE NOT EXISTS (SELECT 1 FROM places p WHERE p.code = place_code AND p.destination_id = t.destination_id);
    IF n > 0 THEN problems := problems || format('%s template entries name a place outside the template''s destination', n); END IF;

    SELECT count(*) INTO n FROM trip_days td JOIN trips t ON t.id = td.trip_id
    WHERE td.day_number > (t.end_date - t.start_date) + 1;
    IF n > 0 THEN problems := problems || format('%s trip days fall after their trip ends', n); END IF;

    IF cardinality(problems) > 0 THEN
        RAISE EXCEPTION 'data validation failed: %', array_to_string(problems, '; ');
    END IF;
    RAISE NOTICE 'data validation passed';
END
$$;
