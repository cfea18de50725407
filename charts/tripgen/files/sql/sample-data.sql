-- TripGen sample data for development and QA: 10 users at several permission levels, 100 destinations
-- (50 in South Korea, 50 abroad), 500 places across 8 categories (5 per destination), 20 itinerary templates.
-- Deterministic (no random(), no now() in keys) and idempotent: every row has a natural key and is inserted
-- with ON CONFLICT DO NOTHING, so running the file twice changes nothing.
--
-- Every sample user's password is "tripgen-dev-password" (sample data, not a secret): the hashes are
-- PBKDF2-HMAC-SHA256, 210,000 iterations, 16-byte salt, in the PHC string form
-- $pbkdf2-sha256$i=<iterations>$<salt base64>$<hash base64> (unpadded standard base64).
-- Run by the database-sample-data hook Job: psql -v ON_ERROR_STOP=1 -f sample-data.sql

BEGIN;

INSERT INTO users (email, display_name, password_hash, role) VALUES
    ('admin@tripgen.dev', 'Dev Admin', '$pbkdf2-sha256$i=210000$BzrVtidYNTCWXye1MAmTmQ$cXlHwOCCdmjnpjzSYuXzxr7pqTruYlITRK2OsOXgAVM', 'admin'),
    ('ops@tripgen.dev', 'Dev Operator', '$pbkdf2-sha256$i=210000$CxDklROlA3dv0MxrdWVxFg$TBlx8KV83ymGfdBlDogJOlzq3mhDtdcX/sWI1Of1wdM', 'operator'),
    ('planner1@tripgen.dev', 'Planner One', '$pbkdf2-sha256$i=210000$QMyhpTudJg4Pr9lCtI4+xQ$om1vqNAEBA8vZXZzgwmqbTplVOiuALXcTMi0abGT2qw', 'planner'),
    ('planner2@tripgen.dev', 'Planner Two', '$pbkdf2-sha256$i=210000$Fe7h92s0QLthxIC1z2VZww$ZLTeTxZ6GIzOsRpnIIOOPX3UTrbCkjdasL5E/cqQm1M', 'planner'),
    ('planner3@tripgen.dev', 'Planner Three', '$pbkdf2-sha256$i=210000$ertseW8a5LuWpwLo1weZbA$yeqPrQPOhgdihKy8bKHdMH9MjeeTMfxVNhdb3nPd9JE', 'planner'),
    ('member1@tripgen.dev', 'Member One', '$pbkdf2-sha256$i=210000$vo2IftF/QuHCBE82lJZ/Bg$4Ra1HHcFXt2VM3CKkboIHrxbpOYcSZxmQpZ2xAe2BxE', 'member'),
    ('member2@tripgen.dev', 'Member Two', '$pbkdf2-sha256$i=210000$rxYVeGcIdl3Tl9e3h0YF9g$wBl2JoyKXcJY7MUR3NvZEupu2U4NGME3+GMOOQdHadc', 'member'),
    ('member3@tripgen.dev', 'Member Three', '$pbkdf2-sha256$i=210000$cNdLbZcetaE02bxUw1HevA$nfX3E1DNpk/HuPcj+wcj5f5rKmgfTKzijmejgtE3Hio', 'member'),
    ('member4@tripgen.dev', 'Member Four', '$pbkdf2-sha256$i=210000$OW0Uo0Fib0vQGa2JYfew5w$1ZUFEb9k8OIg4IDkMLrU0o9yW2KB8fhtMiYy3Qo3uxs', 'member'),
    ('guest@tripgen.dev', 'Dev Guest', '$pbkdf2-sha256$i=210000$CFWFCZgpZGhcqLqKIT5+Dw$YACUGNFNjSNAO6g9Bf4hIqcV8IbnA+DlDfy422aTJ7w', 'guest')
ON CONFLICT (email) DO NOTHING;

INSERT INTO destinations (code, name, country, region, is_domestic, latitude, longitude, description) VALUES
    ('KR-SEL', 'Seoul', 'South Korea', 'Seoul', TRUE, 37.5665, 126.978, 'Seoul, Seoul, South Korea'),
    ('KR-PUS', 'Busan', 'South Korea', 'Busan', TRUE, 35.1796, 129.0756, 'Busan, Busan, South Korea'),
    ('KR-ICN', 'Incheon', 'South Korea', 'Incheon', TRUE, 37.4563, 126.7052, 'Incheon, Incheon, South Korea'),
    ('KR-DAE', 'Daegu', 'South Korea', 'Daegu', TRUE, 35.8714, 128.6014, 'Daegu, Daegu, South Korea'),
    ('KR-DJN', 'Daejeon', 'South Korea', 'Daejeon', TRUE, 36.3504, 127.3845, 'Daejeon, Daejeon, South Korea'),
    ('KR-GWJ', 'Gwangju', 'South Korea', 'Gwangju', TRUE, 35.1595, 126.8526, 'Gwangju, Gwangju, South Korea'),
    ('KR-ULS', 'Ulsan', 'South Korea', 'Ulsan', TRUE, 35.5384, 129.3114, 'Ulsan, Ulsan, South Korea'),
    ('KR-SWN', 'Suwon', 'South Korea', 'Gyeonggi', TRUE, 37.2636, 127.0286, 'Suwon, Gyeonggi, South Korea'),
    ('KR-JEJ', 'Jeju City', 'South Korea', 'Jeju', TRUE, 33.4996, 126.5312, 'Jeju City, Jeju, South Korea'),
    ('KR-SGP', 'Seogwipo', 'South Korea', 'Jeju', TRUE, 33.2541, 126.56, 'Seogwipo, Jeju, South Korea'),
    ('KR-GYJ', 'Gyeongju', 'South Korea', 'Gyeongbuk', TRUE, 35.8562, 129.2247, 'Gyeongju, Gyeongbuk, South Korea'),
    ('KR-JNJ', 'Jeonju', 'South Korea', 'Jeonbuk', TRUE, 35.8242, 127.148, 'Jeonju, Jeonbuk, South Korea'),
    ('KR-GNG', 'Gangneung', 'South Korea', 'Gangwon', TRUE, 37.7519, 128.8761, 'Gangneung, Gangwon, South Korea'),
    ('KR-SKC', 'Sokcho', 'South Korea', 'Gangwon', TRUE, 38.207, 128.5918, 'Sokcho, Gangwon, South Korea'),
    ('KR-CHC', 'Chuncheon', 'South Korea', 'Gangwon', TRUE, 37.8813, 127.7298, 'Chuncheon, Gangwon, South Korea'),
    ('KR-YSU', 'Yeosu', 'South Korea', 'Jeonnam', TRUE, 34.7604, 127.6622, 'Yeosu, Jeonnam, South Korea'),
    ('KR-TYG', 'Tongyeong', 'South Korea', 'Gyeongnam', TRUE, 34.8544, 128.4332, 'Tongyeong, Gyeongnam, South Korea'),
    ('KR-AND', 'Andong', 'South Korea', 'Gyeongbuk', TRUE, 36.5684, 128.7294, 'Andong, Gyeongbuk, South Korea'),
    ('KR-POH', 'Pohang', 'South Korea', 'Gyeongbuk', TRUE, 36.019, 129.3435, 'Pohang, Gyeongbuk, South Korea'),
    ('KR-MOK', 'Mokpo', 'South Korea', 'Jeonnam', TRUE, 34.8118, 126.3922, 'Mokpo, Jeonnam, South Korea'),
    ('KR-SNC', 'Suncheon', 'South Korea', 'Jeonnam', TRUE, 34.9506, 127.4872, 'Suncheon, Jeonnam, South Korea'),
    ('KR-GNJ', 'Gongju', 'South Korea', 'Chungnam', TRUE, 36.4465, 127.119, 'Gongju, Chungnam, South Korea'),
    ('KR-BYO', 'Buyeo', 'South Korea', 'Chungnam', TRUE, 36.2756, 126.9098, 'Buyeo, Chungnam, South Korea'),
    ('KR-DYG', 'Danyang', 'South Korea', 'Chungbuk', TRUE, 36.9845, 128.3655, 'Danyang, Chungbuk, South Korea'),
    ('KR-CJU', 'Cheongju', 'South Korea', 'Chungbuk', TRUE, 36.6424, 127.489, 'Cheongju, Chungbuk, South Korea'),
    ('KR-PYC', 'Pyeongchang', 'South Korea', 'Gangwon', TRUE, 37.3705, 128.39, 'Pyeongchang, Gangwon, South Korea'),
    ('KR-GPY', 'Gapyeong', 'South Korea', 'Gyeonggi', TRUE, 37.8315, 127.5105, 'Gapyeong, Gyeonggi, South Korea'),
    ('KR-PAJ', 'Paju', 'South Korea', 'Gyeonggi', TRUE, 37.76, 126.78, 'Paju, Gyeonggi, South Korea'),
    ('KR-YGP', 'Yangpyeong', 'South Korea', 'Gyeonggi', TRUE, 37.4917, 127.4875, 'Yangpyeong, Gyeonggi, South Korea'),
    ('KR-NMW', 'Namwon', 'South Korea', 'Jeonbuk', TRUE, 35.4164, 127.3905, 'Namwon, Jeonbuk, South Korea'),
    ('KR-DMY', 'Damyang', 'South Korea', 'Jeonnam', TRUE, 35.3212, 126.9882, 'Damyang, Jeonnam, South Korea'),
    ('KR-BSG', 'Boseong', 'South Korea', 'Jeonnam', TRUE, 34.7714, 127.08, 'Boseong, Jeonnam, South Korea'),
    ('KR-GJE', 'Geoje', 'South Korea', 'Gyeongnam', TRUE, 34.8806, 128.6211, 'Geoje, Gyeongnam, South Korea'),
    ('KR-NAM', 'Namhae', 'South Korea', 'Gyeongnam', TRUE, 34.8375, 127.8924, 'Namhae, Gyeongnam, South Korea'),
    ('KR-JNU', 'Jinju', 'South Korea', 'Gyeongnam', TRUE, 35.18, 128.1076, 'Jinju, Gyeongnam, South Korea'),
    ('KR-ULL', 'Ulleungdo', 'South Korea', 'Gyeongbuk', TRUE, 37.4844, 130.9057, 'Ulleungdo, Gyeongbuk, South Korea'),
    ('KR-UDO', 'Udo Island', 'South Korea', 'Jeju', TRUE, 33.5064, 126.9534, 'Udo Island, Jeju, South Korea'),
    ('KR-SMG', 'Samcheok', 'South Korea', 'Gangwon', TRUE, 37.4499, 129.1652, 'Samcheok, Gangwon, South Korea'),
    ('KR-YYG', 'Yangyang', 'South Korea', 'Gangwon', TRUE, 38.0754, 128.6189, 'Yangyang, Gangwon, South Korea'),
    ('KR-INJ', 'Inje', 'South Korea', 'Gangwon', TRUE, 38.0697, 128.1707, 'Inje, Gangwon, South Korea'),
    ('KR-HDG', 'Hadong', 'South Korea', 'Gyeongnam', TRUE, 35.0674, 127.7513, 'Hadong, Gyeongnam, South Korea'),
    ('KR-TAE', 'Taean', 'South Korea', 'Chungnam', TRUE, 36.7456, 126.298, 'Taean, Chungnam, South Korea'),
    ('KR-BRY', 'Boryeong', 'South Korea', 'Chungnam', TRUE, 36.3334, 126.6128, 'Boryeong, Chungnam, South Korea'),
    ('KR-GHW', 'Ganghwa', 'South Korea', 'Incheon', TRUE, 37.747, 126.488, 'Ganghwa, Incheon, South Korea'),
    ('KR-SIH', 'Siheung', 'South Korea', 'Gyeonggi', TRUE, 37.3799, 126.8031, 'Siheung, Gyeonggi, South Korea'),
    ('KR-YNG', 'Yongin', 'South Korea', 'Gyeonggi', TRUE, 37.2411, 127.1776, 'Yongin, Gyeonggi, South Korea'),
    ('KR-GMI', 'Gumi', 'South Korea', 'Gyeongbuk', TRUE, 36.1195, 128.3446, 'Gumi, Gyeongbuk, South Korea'),
    ('KR-CWN', 'Changwon', 'South Korea', 'Gyeongnam', TRUE, 35.228, 128.6811, 'Changwon, Gyeongnam, South Korea'),
    ('KR-WJU', 'Wonju', 'South Korea', 'Gangwon', TRUE, 37.3422, 127.9202, 'Wonju, Gangwon, South Korea'),
    ('KR-MGY', 'Mungyeong', 'South Korea', 'Gyeongbuk', TRUE, 36.5867, 128.1867, 'Mungyeong, Gyeongbuk, South Korea'),
    ('XX-TYO', 'Tokyo', 'Japan', 'Kanto', FALSE, 35.6762, 139.6503, 'Tokyo, Kanto, Japan'),
    ('XX-OSA', 'Osaka', 'Japan', 'Kansai', FALSE, 34.6937, 135.5023, 'Osaka, Kansai, Japan'),
    ('XX-KYO', 'Kyoto', 'Japan', 'Kansai', FALSE, 35.0116, 135.7681, 'Kyoto, Kansai, Japan'),
    ('XX-FUK', 'Fukuoka', 'Japan', 'Kyushu', FALSE, 33.5904, 130.4017, 'Fukuoka, Kyushu, Japan'),
    ('XX-SPK', 'Sapporo', 'Japan', 'Hokkaido', FALSE, 43.0618, 141.3545, 'Sapporo, Hokkaido, Japan'),
    ('XX-OKA', 'Naha', 'Japan', 'Okinawa', FALSE, 26.2124, 127.6809, 'Naha, Okinawa, Japan'),
    ('XX-TPE', 'Taipei', 'Taiwan', 'Taipei', FALSE, 25.033, 121.5654, 'Taipei, Taipei, Taiwan'),
    ('XX-HKG', 'Hong Kong', 'China', 'Hong Kong', FALSE, 22.3193, 114.1694, 'Hong Kong, Hong Kong, China'),
    ('XX-SHA', 'Shanghai', 'China', 'Shanghai', FALSE, 31.2304, 121.4737, 'Shanghai, Shanghai, China'),
    ('XX-BJS', 'Beijing', 'China', 'Beijing', FALSE, 39.9042, 116.4074, 'Beijing, Beijing, China'),
    ('XX-BKK', 'Bangkok', 'Thailand', 'Central', FALSE, 13.7563, 100.5018, 'Bangkok, Central, Thailand'),
    ('XX-CNX', 'Chiang Mai', 'Thailand', 'North', FALSE, 18.7883, 98.9853, 'Chiang Mai, North, Thailand'),
    ('XX-HKT', 'Phuket', 'Thailand', 'South', FALSE, 7.8804, 98.3923, 'Phuket, South, Thailand'),
    ('XX-DAD', 'Da Nang', 'Vietnam', 'Central', FALSE, 16.0544, 108.2022, 'Da Nang, Central, Vietnam'),
    ('XX-HAN', 'Hanoi', 'Vietnam', 'North', FALSE, 21.0278, 105.8342, 'Hanoi, North, Vietnam'),
    ('XX-SGN', 'Ho Chi Minh City', 'Vietnam', 'South', FALSE, 10.8231, 106.6297, 'Ho Chi Minh City, South, Vietnam'),
    ('XX-SIN', 'Singapore', 'Singapore', 'Singapore', FALSE, 1.3521, 103.8198, 'Singapore, Singapore, Singapore'),
    ('XX-KUL', 'Kuala Lumpur', 'Malaysia', 'Selangor', FALSE, 3.139, 101.6869, 'Kuala Lumpur, Selangor, Malaysia'),
    ('XX-DPS', 'Bali', 'Indonesia', 'Bali', FALSE, -8.3405, 115.092, 'Bali, Bali, Indonesia'),
    ('XX-MNL', 'Manila', 'Philippines', 'Luzon', FALSE, 14.5995, 120.9842, 'Manila, Luzon, Philippines'),
    ('XX-CEB', 'Cebu', 'Philippines', 'Visayas', FALSE, 10.3157, 123.8854, 'Cebu, Visayas, Philippines'),
    ('XX-GUM', 'Guam', 'United States', 'Guam', FALSE, 13.4443, 144.7937, 'Guam, Guam, United States'),
    ('XX-HNL', 'Honolulu', 'United States', 'Hawaii', FALSE, 21.3069, -157.8583, 'Honolulu, Hawaii, United States'),
    ('XX-LAX', 'Los Angeles', 'United States', 'California', FALSE, 34.0522, -118.2437, 'Los Angeles, California, United States'),
    ('XX-SFO', 'San Francisco', 'United States', 'California', FALSE, 37.7749, -122.4194, 'San Francisco, California, United States'),
    ('XX-NYC', 'New York', 'United States', 'New York', FALSE, 40.7128, -74.006, 'New York, New York, United States'),
    ('XX-LAS', 'Las Vegas', 'United States', 'Nevada', FALSE, 36.1699, -115.1398, 'Las Vegas, Nevada, United States'),
    ('XX-YVR', 'Vancouver', 'Canada', 'British Columbia', FALSE, 49.2827, -123.1207, 'Vancouver, British Columbia, Canada'),
    ('XX-YYZ', 'Toronto', 'Canada', 'Ontario', FALSE, 43.6532, -79.3832, 'Toronto, Ontario, Canada'),
    ('XX-MEX', 'Mexico City', 'Mexico', 'CDMX', FALSE, 19.4326, -99.1332, 'Mexico City, CDMX, Mexico'),
    ('XX-LON', 'London', 'United Kingdom', 'England', FALSE, 51.5074, -0.1278, 'London, England, United Kingdom'),
    ('XX-PAR', 'Paris', 'France', 'Ile-de-France', FALSE, 48.8566, 2.3522, 'Paris, Ile-de-France, France'),
    ('XX-NCE', 'Nice', 'France', 'Provence', FALSE, 43.7102, 7.262, 'Nice, Provence, France'),
    ('XX-ROM', 'Rome', 'Italy', 'Lazio', FALSE, 41.9028, 12.4964, 'Rome, Lazio, Italy'),
    ('XX-FLR', 'Florence', 'Italy', 'Tuscany', FALSE, 43.7696, 11.2558, 'Florence, Tuscany, Italy'),
    ('XX-VCE', 'Venice', 'Italy', 'Veneto', FALSE, 45.4408, 12.3155, 'Venice, Veneto, Italy'),
    ('XX-BCN', 'Barcelona', 'Spain', 'Catalonia', FALSE, 41.3874, 2.1686, 'Barcelona, Catalonia, Spain'),
    ('XX-MAD', 'Madrid', 'Spain', 'Madrid', FALSE, 40.4168, -3.7038, 'Madrid, Madrid, Spain'),
    ('XX-LIS', 'Lisbon', 'Portugal', 'Lisbon', FALSE, 38.7223, -9.1393, 'Lisbon, Lisbon, Portugal'),
    ('XX-BER', 'Berlin', 'Germany', 'Berlin', FALSE, 52.52, 13.405, 'Berlin, Berlin, Germany'),
    ('XX-MUC', 'Munich', 'Germany', 'Bavaria', FALSE, 48.1351, 11.582, 'Munich, Bavaria, Germany'),
    ('XX-PRG', 'Prague', 'Czechia', 'Bohemia', FALSE, 50.0755, 14.4378, 'Prague, Bohemia, Czechia'),
    ('XX-VIE', 'Vienna', 'Austria', 'Vienna', FALSE, 48.2082, 16.3738, 'Vienna, Vienna, Austria'),
    ('XX-ZRH', 'Zurich', 'Switzerland', 'Zurich', FALSE, 47.3769, 8.5417, 'Zurich, Zurich, Switzerland'),
    ('XX-AMS', 'Amsterdam', 'Netherlands', 'North Holland', FALSE, 52.3676, 4.9041, 'Amsterdam, North Holland, Netherlands'),
    ('XX-IST', 'Istanbul', 'Turkey', 'Marmara', FALSE, 41.0082, 28.9784, 'Istanbul, Marmara, Turkey'),
    ('XX-DXB', 'Dubai', 'United Arab Emirates', 'Dubai', FALSE, 25.2048, 55.2708, 'Dubai, Dubai, United Arab Emirates'),
    ('XX-SYD', 'Sydney', 'Australia', 'New South Wales', FALSE, -33.8688, 151.2093, 'Sydney, New South Wales, Australia'),
    ('XX-MEL', 'Melbourne', 'Australia', 'Victoria', FALSE, -37.8136, 144.9631, 'Melbourne, Victoria, Australia'),
    ('XX-AKL', 'Auckland', 'New Zealand', 'Auckland', FALSE, -36.8485, 174.7633, 'Auckland, Auckland, New Zealand')
ON CONFLICT (code) DO NOTHING;

-- Five places per destination. Categories rotate through the eight in a fixed order; positions are small
-- fixed offsets from the destination's centre, ratings and hours derive from the position in the sequence.
WITH category (slot, name, label, opens, closes, minutes) AS (
    VALUES (0, 'attraction', 'Landmark', TIME '09:00', TIME '18:00', 90),
           (1, 'restaurant', 'Kitchen', TIME '11:00', TIME '22:00', 75),
           (2, 'cafe', 'Cafe', TIME '08:00', TIME '21:00', 45),
           (3, 'museum', 'Museum', TIME '10:00', TIME '18:00', 120),
           (4, 'park', 'Park', TIME '06:00', TIME '22:00', 60),
           (5, 'shopping', 'Market', TIME '10:00', TIME '21:00', 90),
           (6, 'lodging', 'Stay', TIME '00:00', TIME '23:59', 480),
           (7, 'nightlife', 'Night Spot', TIME '18:00', TIME '23:59', 120)
), numbered AS (
    SELECT d.id, d.code, d.name, d.latitude, d.longitude,
           row_number() OVER (ORDER BY d.code) - 1 AS ordinal
    FROM destinations d
    WHERE d.code LIKE 'KR-%' OR d.code LIKE 'XX-%'
)
INSERT INTO places (destination_id, code, name, category, latitude, longitude, rating, opens_at, closes_at, visit_minutes)
SELECT n.id,
       n.code || '-P' || s.i,
       n.name || ' ' || c.label || ' ' || s.i,
       c.name,
       n.latitude + (s.i - 3) * 0.004,
       n.longitude + ((n.ordinal + s.i) % 5 - 2) * 0.005,
       round((3.0 + ((n.ordinal * 7 + s.i * 3) % 21) / 10.0)::numeric, 1),
       c.opens, c.closes, c.minutes
FROM numbered n
CROSS JOIN generate_series(1, 5) AS s (i)
JOIN category c ON c.slot = (n.ordinal * 5 + s.i - 1) % 8
ON CONFLICT (code) DO NOTHING;

-- Twenty itinerary templates: ten domestic and ten abroad destinations (the first of each in code order),
-- 2 to 5 days each; every day visits the destination's places in a fixed rotation.
WITH chosen AS (
    SELECT d.id, d.code, d.name, row_number() OVER (PARTITION BY d.is_domestic ORDER BY d.code) AS rank_in_group,
           d.is_domestic
    FROM destinations d
    WHERE d.code LIKE 'KR-%' OR d.code LIKE 'XX-%'
), picked AS (
    SELECT c.*, row_number() OVER (ORDER BY c.is_domestic DESC, c.code) AS t
    FROM chosen c
    WHERE c.rank_in_group <= 10
)
INSERT INTO itinerary_templates (destination_id, code, title, theme, days, plan)
SELECT p.id,
       'TPL-' || lpad(p.t::text, 2, '0'),
       p.name || ' in ' || (2 + p.t % 4) || ' days',
       (ARRAY['culture', 'food', 'nature', 'family', 'city'])[1 + p.t % 5],
       2 + p.t % 4,
       (SELECT jsonb_agg(
                   jsonb_build_object(
                       'day', day,
                       'places', (SELECT jsonb_agg(pl.code ORDER BY pl.code)
                                  FROM places pl
                                  WHERE pl.destination_id = p.id
                                    AND (right(pl.code, 1)::int + day) % 2 = 0))
                   ORDER BY day)
        FROM generate_series(1, 2 + p.t % 4) AS day)
FROM picked p
ON CONFLICT (code) DO NOTHING;

COMMIT;
