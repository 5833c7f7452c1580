-- Hand-made fixture: every expected answer in test/scripts/build-data.fixture.test.ts is worked out by hand from
-- these rows (see the comments there).
CREATE TABLE vivo (
  name text, mz double precision, rt double precision, "Type" text, metabolite text,
  "B_two" double precision, "A_one" double precision, "C.three" double precision, "D ""odd""; name" double precision
);
INSERT INTO vivo VALUES
  ('M100T10_NEG', 100.1, 10.2, 'by_negative', NULL,      1.5, 1.5, NULL, -2),
  ('M200T20_POS', 200.2, 20.4, 'by_positive', 'butyrate', 3,  NULL, 0,    3),
  ('X_ANNOT',     150.0, 15.0, 'by_name',     'indole',  NULL, -1,  NULL, NULL),
  ('M300T30_NEG', 300.3, 30.0, 'by_negative', '',        NULL, NULL, NULL, NULL),
  ('M400T40_POS', 400.4, 40.0, 'by_positive', 'butyrate', 4,   5,   3,    2);

CREATE TABLE vitro (
  name text, mz double precision, rt double precision, list_2_match text, notes text,
  "S01" double precision, "S02" real, "S03" numeric, "S04" integer, "S05" double precision, "S06" double precision,
  "S07" double precision, "S08" double precision, "S09" double precision, "S10" double precision,
  "S11" double precision, "S12" double precision
);
INSERT INTO vitro VALUES
  ('M1T1_POS', 1, 1, NULL, 'x', 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1),
  ('M2T2_NEG', 2, 2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 2),
  ('M3T3_pos', 3, 3, NULL, NULL, -1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  ('M4T4XPOS', 4, 4, NULL, NULL, -2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  ('indole',   5, 5, 'indole', NULL, 0.5, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
