-- After rows arrive with their own ids, move each id sequence past the
-- largest one, so new reviews, photos and ratings get fresh ids.
SELECT setval(pg_get_serial_sequence('reviews', 'id'),
    coalesce((SELECT max(id) FROM reviews), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('reviews_photos', 'id'),
    coalesce((SELECT max(id) FROM reviews_photos), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('characteristics', 'id'),
    coalesce((SELECT max(id) FROM characteristics), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('characteristic_reviews', 'id'),
    coalesce((SELECT max(id) FROM characteristic_reviews), 0) + 1, false);
