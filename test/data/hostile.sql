-- Hostile source data: every expected result in test/scripts/hostile-data.test.ts is worked out by hand from here.
CREATE TABLE odd (
  name text, mz double precision, rt double precision, "TYPE" text, "Metabolite" text,
  "with space" double precision, "quote""d" double precision, "dot.ted" double precision,
  "semi;colon" double precision, "ünïcødé" double precision, "select" double precision,
  "Case" double precision, "case" double precision,
  as_text text, note text
);
INSERT INTO odd VALUES
  (NULL,        1, 1, 'by_name', NULL, 1, 1, 1, 1, 1, 1, 1, 1, '1.5', NULL),
  ('',          2, 2, 'by_name', NULL, 1, 1, 1, 1, 1, 1, 1, 1, '2', NULL),
  ('   ',       3, 3, 'by_name', NULL, 1, 1, 1, 1, 1, 1, 1, 1, '#DIV/0!', NULL),
  ('M1T1_NEG',  4, 4, 'weird', '<script>alert(1)</script>', 'NaN', 'Infinity', '-Infinity', 1.5, 2, 3, 4, 5, '#DIV/0!', 'x'),
  ('M2T2_POS',  5, 5, 'by_positive', 'He said "hi" & ''bye''', -1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  ('LONG',      6, 6, 'by_name', repeat('x', 10000), NULL, NULL, 0.25, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  ('M3T3_NEG',  7, 7, NULL, NULL, NULL, NULL, NULL, NULL, NULL, -7, NULL, NULL, NULL, NULL);

CREATE TABLE empty (LIKE odd);

CREATE TABLE no_bacteria (name text, mz double precision, rt double precision, note text);
INSERT INTO no_bacteria VALUES ('M1T1_NEG', 1, 1, 'x');

CREATE TABLE dupes (name text, "A" double precision);
INSERT INTO dupes VALUES ('X', 1), ('X', 2), ('Y', 3);
