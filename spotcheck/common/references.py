"""Foreign keys checked once per statement instead of once per row (PostgreSQL).

A foreign key runs one look-up per inserted row: the 1.9M department links of a province's
first import spent 6 s in those look-ups, its 1M history rows naming the importing user another
3.7 s. For the references installed here the constraint is replaced by triggers that keep the
same guarantee set-wise:

- after each INSERT or UPDATE statement on the child table, the distinct ids the statement's
  rows refer to are locked in the parent table (FOR KEY SHARE, as a foreign key locks them, so
  a concurrent delete waits) and any id not found fails the statement with SQLSTATE 23503
  (``foreign_key_violation``: Django raises ``IntegrityError``, as before);
- deleting a parent row that is still referenced, or changing its id, fails the same way.

The functions run as their owner (SECURITY DEFINER, as a foreign key's checks run as the table
owner: a role that may insert links need not be allowed to lock departments) with a fixed
search_path and schema-qualified tables. What differs from the foreign key: the check runs at the
end of the statement rather than at commit (nothing here inserts a child before its parent);
TRUNCATE of the parent alone is no longer refused; and a parent row is deleted (or its id
changed) only under READ COMMITTED, the application's level: under a snapshot level the check
could miss a child committed meanwhile, so it fails with a serialization error (40001) instead.
SQLite keeps its foreign keys: their checks are cheap there."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Reference:
    name: str  # short: prefixes the trigger and function names (PostgreSQL allows 63 bytes)
    child: str
    column: str
    parent: str

    @property
    def stem(self) -> str:
        return f"spotcheck_ref_{self.name}"


def install(cursor, ref: Reference) -> None:
    """Drop the foreign key(s) of ``ref`` and create its set-wise triggers."""
    cursor.execute(
        "SELECT c.conname FROM pg_constraint c JOIN pg_attribute a "
        "ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
        "WHERE c.contype = 'f' AND c.conrelid = %s::regclass AND c.confrelid = %s::regclass "
        "AND cardinality(c.conkey) = 1 AND a.attname = %s",
        [ref.child, ref.parent, ref.column],
    )
    for (constraint,) in cursor.fetchall():
        cursor.execute(f'ALTER TABLE {ref.child} DROP CONSTRAINT "{constraint}"')
    cursor.execute("SELECT current_schema()")
    for statement in _install_sql(ref, cursor.fetchone()[0]):
        cursor.execute(statement)


def uninstall(cursor, ref: Reference) -> None:
    """The triggers dropped and the foreign key back, as Django declares it."""
    for statement in [
        f"DROP TRIGGER IF EXISTS {ref.stem}_ins ON {ref.child}",
        f"DROP TRIGGER IF EXISTS {ref.stem}_upd ON {ref.child}",
        f"DROP TRIGGER IF EXISTS {ref.stem}_del ON {ref.parent}",
        f"DROP TRIGGER IF EXISTS {ref.stem}_key ON {ref.parent}",
        f"DROP FUNCTION IF EXISTS {ref.stem}_rows()",
        f"DROP FUNCTION IF EXISTS {ref.stem}_parent()",
        f"ALTER TABLE {ref.child} ADD CONSTRAINT {ref.stem}_fk FOREIGN KEY ({ref.column}) "
        f"REFERENCES {ref.parent} (id) DEFERRABLE INITIALLY DEFERRED",
    ]:
        cursor.execute(statement)


def _install_sql(ref: Reference, schema: str) -> list[str]:
    violation = f"insert or update on table {ref.child} violates its reference to {ref.parent}"
    child, parent = f'"{schema}".{ref.child}', f'"{schema}".{ref.parent}'
    definer = "SECURITY DEFINER SET search_path = pg_catalog, pg_temp"
    rows_check = f"""
CREATE OR REPLACE FUNCTION {ref.stem}_rows() RETURNS trigger LANGUAGE plpgsql {definer} AS $$
DECLARE
    wanted bigint[];
    found bigint;
BEGIN
    SELECT array_agg(DISTINCT s.{ref.column}) INTO wanted
    FROM statement_rows s WHERE s.{ref.column} IS NOT NULL;
    IF wanted IS NULL THEN
        RETURN NULL;
    END IF;
    PERFORM 1 FROM {parent} p WHERE p.id = ANY (wanted) FOR KEY SHARE;
    SELECT count(*) INTO found FROM {parent} p WHERE p.id = ANY (wanted);
    IF found < cardinality(wanted) THEN
        RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation', MESSAGE = '{violation}';
    END IF;
    RETURN NULL;
END $$"""
    parent_check = f"""
CREATE OR REPLACE FUNCTION {ref.stem}_parent() RETURNS trigger LANGUAGE plpgsql {definer} AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM {child} c WHERE c.{ref.column} = OLD.id) THEN
        RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation',
            MESSAGE = format('{ref.parent} id %s is still referenced from {ref.child}', OLD.id);
    END IF;
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION USING ERRCODE = 'serialization_failure',
            MESSAGE = '{ref.parent}: delete referenced rows under READ COMMITTED';
    END IF;
    RETURN NULL;
END $$"""
    each_statement = f"FOR EACH STATEMENT EXECUTE FUNCTION {ref.stem}_rows()"
    each_parent = f"FOR EACH ROW EXECUTE FUNCTION {ref.stem}_parent()"
    return [
        rows_check,
        parent_check,
        f"CREATE TRIGGER {ref.stem}_ins AFTER INSERT ON {ref.child} "
        f"REFERENCING NEW TABLE AS statement_rows {each_statement}",
        f"CREATE TRIGGER {ref.stem}_upd AFTER UPDATE ON {ref.child} "
        f"REFERENCING NEW TABLE AS statement_rows {each_statement}",
        f"CREATE TRIGGER {ref.stem}_del AFTER DELETE ON {ref.parent} {each_parent}",
        f"CREATE TRIGGER {ref.stem}_key AFTER UPDATE OF id ON {ref.parent} "
        f"FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) "
        f"EXECUTE FUNCTION {ref.stem}_parent()",
    ]
