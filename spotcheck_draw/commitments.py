"""Commitments of §1: the RFC 6962 Merkle root of the population lines and the SHA-256 of the
RFC 8785 canonical JSON of the design."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, BinaryIO

from spotcheck_draw.errors import DrawError, DrawErrorCode
from spotcheck_draw.processes import worker_context

_FORBIDDEN = ("\t", "\n", "\r")


def leaf_hash(line: str) -> bytes:
    """leaf = SHA-256(0x00 ‖ UTF-8(line))  (RFC 6962 §2.1)."""
    return hashlib.sha256(b"\x00" + line.encode("utf-8")).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """node = SHA-256(0x01 ‖ left ‖ right)  (RFC 6962 §2.1)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


_LEAF_STATE = hashlib.sha256(b"\x00")  # prepared once: each leaf costs a copy and an update
_NODE_STATE = hashlib.sha256(b"\x01")


def leaf_hashes(lines: Iterable[bytes]) -> list[bytes]:
    """SHA-256(0x00 ‖ line) of each UTF-8 line."""
    copy = _LEAF_STATE.copy
    out: list[bytes] = []
    append = out.append
    for line in lines:
        h = copy()
        h.update(line)
        append(h.digest())
    return out


def _parents(level: list[bytes]) -> list[bytes]:
    """node_hash of each neighbour pair (0, 1), (2, 3), …; a lone last node is left out."""
    copy = _NODE_STATE.copy
    out: list[bytes] = []
    append = out.append
    for left, right in zip(level[0::2], level[1::2], strict=False):  # odd: last left out
        h = copy()
        h.update(left)
        h.update(right)
        append(h.digest())
    return out


def _root_of_hashes(level: list[bytes]) -> bytes:
    """MTH by levels: pair neighbours, carry a lone last node up unchanged.

    This equals RFC 6962's recursive split at the largest power of two below n."""
    if not level:
        return hashlib.sha256(b"").digest()
    while len(level) > 1:
        nxt = _parents(level)
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0]


def merkle_root(lines: Sequence[str]) -> str:
    """MTH(D[n]) of RFC 6962 over the lines, hex lower case; MTH({}) = SHA-256("")."""
    return _root_of_hashes(leaf_hashes(line.encode("utf-8") for line in lines)).hex()


def merkle_root_of_encoded(lines: Iterable[bytes]) -> str:
    """merkle_root of lines already UTF-8 encoded."""
    return _root_of_hashes(leaf_hashes(lines)).hex()


PARALLEL_LINES = 100_000  # below this, forking a process costs more than it saves
RUN_LEVEL = 13  # the leaves are hashed in aligned runs of 2^13, taken one at a time


class MerkleRootJob:
    """merkle_root_of_encoded(lines), hashed by ``workers`` − 1 more processes when there are
    many lines, while this process does other work (checking the same lines); ``result()``
    joins in, then waits for theirs. ``close()`` (or leaving a ``with`` block) joins the
    processes, ending them first if the root was not wanted.

    The leaves are cut into aligned runs of 2^RUN_LEVEL: a run is one node of the tree by
    levels (the last, shorter run too), so its root is computed alone, and the runs' roots are
    that tree's level RUN_LEVEL. Processes take runs from a shared counter: one slowed by its
    neighbours takes fewer, and this process takes what is left when it is free."""

    def __init__(self, lines: Sequence[bytes], *, workers: int = 1) -> None:
        self._lines, self._root = lines, ""
        self._children: list[tuple[BaseProcess, Connection]] = []
        ctx = worker_context() if workers > 1 and len(lines) >= max(2, PARALLEL_LINES) else None
        if ctx is not None:
            self._next_run = ctx.Value("i", 0)
            self._run_size = 1 << RUN_LEVEL
            for _ in range(workers - 1):
                receive, send = ctx.Pipe(duplex=False)
                args = (send, lines, self._run_size, self._next_run)
                child = ctx.Process(target=_send_run_roots, args=args, daemon=True)
                child.start()
                send.close()
                self._children.append((child, receive))

    def result(self) -> str:
        if self._root:
            return self._root
        if not self._children:
            self._root = merkle_root_of_encoded(self._lines)
            return self._root
        roots = dict(_run_roots(self._lines, self._run_size, self._next_run))
        for child, receive in self._children:
            try:
                received = receive.recv_bytes()
            except EOFError:  # it died before sending
                pid, code = child.pid, child.exitcode
                self.close()
                raise RuntimeError(f"Merkle root worker {pid} exited with {code}") from None
            for at in range(0, len(received), 36):
                roots[int.from_bytes(received[at : at + 4])] = received[at + 4 : at + 36]
        self._root = _root_of_hashes([roots[i] for i in range(len(roots))]).hex()
        return self._root

    def __enter__(self) -> MerkleRootJob:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        for child, receive in self._children:
            if not self._root:
                child.terminate()
            child.join()
            receive.close()
        self._children = []


def _run_roots(lines: Sequence[bytes], size: int, next_run: Any) -> list[tuple[int, bytes]]:
    """(index, root) of the runs of ``size`` lines taken from the shared counter, until none
    is left."""
    runs = -(-len(lines) // size)
    done: list[tuple[int, bytes]] = []
    while True:
        with next_run.get_lock():
            i = next_run.value
            next_run.value = i + 1
        if i >= runs:
            return done
        done.append((i, _root_of_hashes(leaf_hashes(lines[i * size : (i + 1) * size]))))


def _send_run_roots(send: Connection, lines: Sequence[bytes], size: int, next_run: Any) -> None:
    roots = _run_roots(lines, size, next_run)
    send.send_bytes(b"".join(i.to_bytes(4) + root for i, root in roots))
    send.close()


def _split(n: int) -> int:
    """k = the largest power of two strictly smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def _path(index: int, leaves: list[bytes]) -> list[bytes]:
    """PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n]) if m < k,
    else PATH(m-k, D[k:n]) : MTH(D[0:k])."""
    if len(leaves) <= 1:
        return []
    k = _split(len(leaves))
    if index < k:
        return [*_path(index, leaves[:k]), _root_of_hashes(leaves[k:])]
    return [*_path(index - k, leaves[k:]), _root_of_hashes(leaves[:k])]


def level_widths(size: int) -> list[int]:
    """Nodes per level of the tree by levels (leaves first, root last): w, ceil(w / 2), …, 1."""
    widths = [size]
    while widths[-1] > 1:
        widths.append((widths[-1] + 1) // 2)
    return widths


def write_tree(lines: Iterable[bytes], out: BinaryIO) -> str:
    """Write every level of the tree of the UTF-8 lines, leaves first, 32 bytes a node, and
    return the root (hex): what ``merkle_root`` returns, with the nodes kept for proofs."""
    level = leaf_hashes(lines)
    if not level:
        return hashlib.sha256(b"").hexdigest()
    while True:
        out.write(b"".join(level))
        if len(level) == 1:
            return level[0].hex()
        nxt = _parents(level)
        if len(level) % 2:
            nxt.append(level[-1])  # carried up unchanged, as in _root_of_hashes
        level = nxt


def stored_inclusion_proof(read_node: Callable[[int], bytes], size: int, index: int) -> list[str]:
    """The audit path of leaf ``index`` read from a tree written by ``write_tree``: at each level
    the sibling node when there is one (a lone last node is carried up and adds nothing), so a
    proof costs one read per level. ``read_node(n)`` returns node n of the file."""
    if not 0 <= index < size:
        raise IndexError(f"line {index} is outside a population of {size} lines")
    path, first = [], 0
    for width in level_widths(size)[:-1]:
        sibling = index ^ 1
        if sibling < width:
            path.append(read_node(first + sibling).hex())
        first += width
        index //= 2
    return path


def inclusion_proof(lines: Sequence[str], index: int) -> list[str]:
    """The audit path of line ``index`` (RFC 6962 §2.1.1), hex, from the leaf upwards."""
    if not 0 <= index < len(lines):
        raise IndexError(f"line {index} is outside a population of {len(lines)} lines")
    return [h.hex() for h in _path(index, [leaf_hash(line) for line in lines])]


def verify_inclusion(line: str, index: int, size: int, proof: Sequence[str], root: str) -> bool:
    """RFC 9162 §2.1.3.2: fold the path into the leaf hash and compare with the root."""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf_hash(line)
    for hex_node in proof:
        p = bytes.fromhex(hex_node)
        if sn == 0:
            return False
        if fn % 2 == 1 or fn == sn:
            r = node_hash(p, r)
            if fn % 2 == 0:
                while fn % 2 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r.hex() == root


def _canonical(obj: object, out: list[str]) -> None:
    if obj is None or obj is True or obj is False:
        out.append(json.dumps(obj))
    elif isinstance(obj, int):
        if abs(obj) > 2**53 - 1:
            raise DrawError(DrawErrorCode.DESIGN_INVALID, f"integer {obj} is beyond 2^53-1")
        out.append(str(obj))
    elif isinstance(obj, str):
        out.append(json.dumps(_checked_string(obj), ensure_ascii=False))
    elif isinstance(obj, list | tuple):
        out.append("[")
        for i, item in enumerate(obj):
            out.append("," if i else "")
            _canonical(item, out)
        out.append("]")
    elif isinstance(obj, Mapping):
        keys = [_checked_string(k) for k in obj]
        out.append("{")
        for i, key in enumerate(sorted(keys, key=lambda k: k.encode("utf-16-be"))):
            out.append(("," if i else "") + json.dumps(key, ensure_ascii=False) + ":")
            _canonical(obj[key], out)
        out.append("}")
    else:
        raise DrawError(
            DrawErrorCode.DESIGN_INVALID,
            f"a design value of type {type(obj).__name__} cannot be committed; "
            "write decimals as strings",
        )


def _checked_string(value: object) -> str:
    if not isinstance(value, str):
        raise DrawError(DrawErrorCode.DESIGN_INVALID, f"object key {value!r} is not a string")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise DrawError(DrawErrorCode.DESIGN_INVALID, "a string holds a lone surrogate") from exc
    return value


def canonical_json(obj: object) -> bytes:
    """RFC 8785 for strings, integers, booleans, null, lists and objects: keys sorted by UTF-16
    code units, no spaces, ECMAScript string escapes, UTF-8. Floats are refused (decimals are
    strings in a design)."""
    text = _canonical_by_json_module(obj)
    if text is None:
        out: list[str] = []
        _canonical(obj, out)  # raises the error, or writes what the json module could not
        text = "".join(out)
    return text.encode("utf-8")


class _NotCanonical(Exception):
    """A value the json module writes, but not as RFC 8785 (or this module) would."""


def _refuse_float(text: str) -> object:
    raise _NotCanonical(text)


def _checked_int(text: str) -> int:
    if abs(int(text)) > 2**53 - 1:
        raise _NotCanonical(text)
    return int(text)


def _canonical_by_json_module(obj: object) -> str | None:
    """The json module's compact output with sorted keys, when it is exactly RFC 8785: read back,
    it equals ``obj`` (so no tuple, no non-string key, no other type was coerced), holds no
    float and no integer beyond 2^53-1, and no character at or above U+D800 (below it, code
    point order is UTF-16 order, and no lone surrogate can hide). It escapes strings exactly as
    ``_canonical`` does, with json.dumps. None when any of this fails: ``_canonical`` decides.
    It walks a design of 10^5 objects in C, where ``_canonical`` takes seconds."""
    try:
        # allow_nan=False: the json module writes inf as "Infinity", which reads back equal
        text = json.dumps(
            obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
        )
        back = json.loads(text, parse_float=_refuse_float, parse_int=_checked_int)
    except (TypeError, ValueError, RecursionError, _NotCanonical):
        return None
    if back != obj or (text and max(text) >= "\ud800"):
        return None
    return text


def design_hash(design: Mapping[str, object]) -> str:
    """design hash = hex SHA-256(canonical_json(design))."""
    return hashlib.sha256(canonical_json(design)).hexdigest()


def _checked_field(value: object, what: str, number: int) -> str:
    if not isinstance(value, str) or not value:
        raise DrawError(DrawErrorCode.POPULATION_BAD_LINE, f"row {number}: {what} is empty")
    text = unicodedata.normalize("NFC", value)
    if any(ch in text for ch in _FORBIDDEN):
        raise DrawError(
            DrawErrorCode.POPULATION_BAD_LINE, f"row {number}: {what} holds a tab or line break"
        )
    return text


def check_uscc(uscc: str, number: int) -> None:
    """A USCC is non-empty, upper case and has no white space (§11)."""
    if not uscc or uscc != uscc.upper() or any(ch.isspace() for ch in uscc):
        raise DrawError(
            DrawErrorCode.POPULATION_BAD_USCC,
            f"row {number}: USCC {uscc!r} must be upper case without spaces",
        )


def population_lines(rows: Iterable[Sequence[str]]) -> list[str]:
    """Rows (USCC, stratum, task) → the committed lines ``USCC\\tstratum\\ttask``, NFC, sorted by
    USCC, then stratum, then task (code points); a duplicate (USCC, task) is an error."""
    checked: list[tuple[str, str, str]] = []
    for number, row in enumerate(rows, start=1):
        if len(row) != 3:
            raise DrawError(
                DrawErrorCode.POPULATION_BAD_LINE,
                f"row {number}: expected 3 fields, got {len(row)}",
            )
        uscc = _checked_field(row[0], "USCC", number)
        check_uscc(uscc, number)
        checked.append(
            (
                uscc,
                _checked_field(row[1], "stratum", number),
                _checked_field(row[2], "task", number),
            )
        )
    if not checked:
        raise DrawError(DrawErrorCode.POPULATION_EMPTY, "the population has no line")
    checked.sort()
    seen: set[tuple[str, str]] = set()
    duplicates = []
    for uscc, _stratum, task in checked:
        if (uscc, task) in seen:
            duplicates.append(f"{uscc} in task {task}")
        seen.add((uscc, task))
    if duplicates:
        raise DrawError(
            DrawErrorCode.POPULATION_DUPLICATE,
            "an entity appears twice in the same task",
            duplicates,
        )
    return ["\t".join(fields) for fields in checked]


def parse_population_lines(lines: Sequence[str]) -> list[tuple[str, str, str]]:
    """Committed lines → rows, checking the lines are exactly what ``population_lines`` makes."""
    rows = [tuple(line.split("\t")) for line in lines]
    canonical = population_lines(rows)
    if list(lines) != canonical:
        first = next(i for i, (a, b) in enumerate(zip(lines, canonical, strict=True)) if a != b)
        raise DrawError(
            DrawErrorCode.POPULATION_UNSORTED,
            f"line {first + 1} is not in the committed form or order: {lines[first]!r}",
        )
    return [(r[0], r[1], r[2]) for r in rows]
