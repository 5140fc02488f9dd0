-- a comment line, dropped
CREATE TEMP TABLE t (a text, b int);
  -- an indented comment, dropped
INSERT INTO t VALUES ('x;y', 1), ('semicolon; then text', 2);

INSERT INTO t
SELECT 'z', 3
WHERE true;
SELECT count(*) FROM t   ;
