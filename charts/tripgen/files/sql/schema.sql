-- TripGen database schema: users with roles, destinations, places by category, itinerary templates, trips.
-- Idempotent: every statement may run again against a database that already has the schema.
-- Run by the database-schema-init hook Job: psql -v ON_ERROR_STOP=1 -f schema.sql

BEGIN;

CREATE TABLE IF NOT EXISTS users (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         TEXT        NOT NULL,
    display_name  TEXT        NOT NULL,
    password_hash TEXT        NOT NULL,
    role          TEXT        NOT NULL DEFAULT 'member',
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT users_email_key UNIQUE (email),
    CONSTRAINT users_email_format CHECK (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
    CONSTRAINT users_role_valid CHECK (role IN ('admin', 'operator', 'planner', 'member', 'guest'))
);

CREATE TABLE IF NOT EXISTS destinations (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        TEXT             NOT NULL,
    name        TEXT             NOT NULL,
    country     TEXT             NOT NULL,
    region      TEXT             NOT NULL,
    is_domestic BOOLEAN          NOT NULL,
    latitude    DOUBLE PRECISION NOT NULL,
    longitude   DOUBLE PRECISION NOT NULL,
    description TEXT             NOT NULL DEFAULT '',
    CONSTRAINT destinations_code_key UNIQUE (code),
    CONSTRAINT destinations_latitude_range CHECK (latitude BETWEEN -90 AND 90),
    CONSTRAINT destinations_longitude_range CHECK (longitude BETWEEN -180 AND 180)
);
CREATE INDEX IF NOT EXISTS destinations_name_idx ON destinations (lower(name));
CREATE INDEX IF NOT EXISTS destinations_country_idx ON destinations (country);

CREATE TABLE IF NOT EXISTS places (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    destination_id BIGINT           NOT NULL REFERENCES destinations (id) ON DELETE CASCADE,
    code           TEXT             NOT NULL,
    name           TEXT             NOT NULL,
    category       TEXT             NOT NULL,
    latitude       DOUBLE PRECISION NOT NULL,
    longitude      DOUBLE PRECISION NOT NULL,
    rating         NUMERIC(2, 1)    NOT NULL DEFAULT 0,
    opens_at       TIME             NOT NULL DEFAULT '09:00',
    closes_at      TIME             NOT NULL DEFAULT '18:00',
    visit_minutes  INTEGER          NOT NULL DEFAULT 60,
    CONSTRAINT places_code_key UNIQUE (code),
    CONSTRAINT places_category_valid CHECK (
        category IN ('attraction', 'restaurant', 'cafe', 'museum', 'park', 'shopping', 'lodging', 'nightlife')),
    CONSTRAINT places_rating_range CHECK (rating BETWEEN 0 AND 5),
    CONSTRAINT places_latitude_range CHECK (latitude BETWEEN -90 AND 90),
    CONSTRAINT places_longitude_range CHECK (longitude BETWEEN -180 AND 180),
    CONSTRAINT places_visit_positive CHECK (visit_minutes > 0)
);
CREATE INDEX IF NOT EXISTS places_destination_category_idx ON places (destination_id, category);
CREATE INDEX IF NOT EXISTS places_name_idx ON places (lower(name));

CREATE TABLE IF NOT EXISTS itinerary_templates (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    destination_id BIGINT  NOT NULL REFERENCES destinations (id) ON DELETE CASCADE,
    code           TEXT    NOT NULL,
    title          TEXT    NOT NULL,
    theme          TEXT    NOT NULL,
    days           INTEGER NOT NULL,
    plan           JSONB   NOT NULL,
    CONSTRAINT itinerary_templates_code_key UNIQUE (code),
    CONSTRAINT itinerary_templates_days_range CHECK (days BETWEEN 1 AND 30),
    CONSTRAINT itinerary_templates_plan_days CHECK (jsonb_typeof(plan) = 'array' AND jsonb_array_length(plan) = days)
);
CREATE INDEX IF NOT EXISTS itinerary_templates_destination_idx ON itinerary_templates (destination_id);

CREATE TABLE IF NOT EXISTS trips (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id        BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    destination_id BIGINT      NOT NULL REFERENCES destinations (id),
    title          TEXT        NOT NULL,
    start_date     DATE        NOT NULL,
    end_date       DATE        NOT NULL,
    travellers     INTEGER     NOT NULL DEFAULT 1,
    preferences    JSONB       NOT NULL DEFAULT '{}'::jsonb,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT trips_dates_ordered CHECK (end_date >= start_date),
    CONSTRAINT trips_travellers_range CHECK (travellers BETWEEN 1 AND 50)
);
CREATE INDEX IF NOT EXISTS trips_user_idx ON trips (user_id, start_date);

CREATE TABLE IF NOT EXISTS trip_days (
    trip_id    BIGINT  NOT NULL REFERENCES trips (id) ON DELETE CASCADE,
    day_number INTEGER NOT NULL,
    plan       JSONB   NOT NULL DEFAULT '[]'::jsonb,
    PRIMARY KEY (trip_id, day_number),
    CONSTRAINT trip_days_day_positive CHECK (day_number >= 1)
);

COMMIT;
