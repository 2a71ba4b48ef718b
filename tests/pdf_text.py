"""A small PDF text reader for tests: enough of PDF to read back what
matplotlib writes (one content stream per page, fonts with ToUnicode maps).

No PDF library is installed; the tests read the real bytes users get.
"""

import re
import zlib

def _objects(data: bytes) -> dict[int, tuple[bytes, bytes]]:
    """``{number: (dictionary, stream or b"")}`` from the xref table, streams
    inflated (matplotlib writes one classic xref table)."""
    xref = data.rindex(b"\nxref\n") + 1
    count = int(data[xref:].split(b"\n")[1].split()[1])
    table = data[xref:].split(b"\n", 2)[2]
    out = {}
    for number in range(1, count):
        entry = table[number * 20:(number + 1) * 20]
        if entry[17:18] != b"n":
            continue
        start = int(entry[:10])
        obj = re.match(rb"\d+ 0 obj\s*", data[start:]).end() + start
        stream_at = data.find(b"stream\n", obj)
        end_at = data.find(b"endobj", obj)
        if stream_at == -1 or end_at < stream_at:
            out[number] = (data[obj:end_at], b"")
            continue
        head = data[obj:stream_at]
        body = data[stream_at + len(b"stream\n"):]
        if b"/FlateDecode" in head:
            stream = zlib.decompressobj().decompress(body)
        else:
            length = int(re.search(rb"/Length (\d+)(?! \d+ R)", head).group(1))
            stream = body[:length]
        out[number] = (head, stream)
    return out


def _cmap(stream: bytes) -> dict[int, str]:
    codes: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.S):
        for src, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            codes[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", stream, re.S):
        for lo, hi, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]+>|\[[^\]]*\])",
                                      block):
            lo, hi = int(lo, 16), int(hi, 16)
            if dst.startswith(b"["):
                for i, d in enumerate(re.findall(rb"<([0-9a-fA-F]+)>", dst)):
                    codes[lo + i] = bytes.fromhex(d.decode()).decode("utf-16be")
            else:
                first = bytes.fromhex(dst[1:-1].decode()).decode("utf-16be")
                for i in range(hi - lo + 1):
                    codes[lo + i] = first[:-1] + chr(ord(first[-1]) + i)
    return codes


_ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f"}


def _text_tokens(block: bytes):
    """``(font name, b"")`` for each ``Tf`` and ``(b"", string bytes)`` for
    each literal or hex string in a text object."""
    i = 0
    while i < len(block):
        c = block[i:i + 1]
        if c == b"/":
            m = re.match(rb"/(\w+)\s+[\d.]+\s+Tf", block[i:])
            if m:
                yield m.group(1), b""
                i += m.end()
                continue
        elif c == b"<" and block[i:i + 2] != b"<<":
            end = block.index(b">", i)
            yield b"", bytes.fromhex(block[i + 1:end].decode())
            i = end + 1
            continue
        elif c == b"(":
            out, depth, i = bytearray(), 1, i + 1
            while True:
                b = block[i]
                if b == 0x5C:  # backslash
                    nxt = block[i + 1]
                    octal = re.match(rb"[0-7]{1,3}", block[i + 1:i + 4])
                    if octal:
                        out.append(int(octal.group(0), 8) & 0xFF)
                        i += 1 + len(octal.group(0))
                        continue
                    out += _ESCAPES.get(nxt, bytes([nxt]))
                    i += 2
                    continue
                if b == 0x28:
                    depth += 1
                elif b == 0x29:
                    depth -= 1
                    if depth == 0:
                        i += 1
                        break
                out.append(b)
                i += 1
            yield b"", bytes(out)
            continue
        i += 1


def pdf_pages(data: bytes) -> list[dict]:
    """Each page's ``MediaBox`` and its text, one string per text object."""
    objs = _objects(data)
    fonts: dict[bytes, dict[int, str]] = {}
    for head, _ in objs.values():
        font_dicts = re.findall(rb"/Font\s*<<(.*?)>>", head, re.S)
        font_dicts += [objs[int(n)][0] for n in re.findall(rb"/Font\s+(\d+) 0 R", head)]
        for font_dict in font_dicts:
            for name, num in re.findall(rb"/(\w+)\s+(\d+) 0 R", font_dict):
                font = objs[int(num)][0]
                to_unicode = re.search(rb"/ToUnicode\s+(\d+) 0 R", font)
                if to_unicode:
                    fonts[name] = _cmap(objs[int(to_unicode.group(1))][1])
    pages = []
    for head, _ in objs.values():
        if not re.search(rb"/Type\s*/Page\b(?!s)", head):
            continue
        box = [float(v) for v in re.search(rb"/MediaBox\s*\[([^\]]*)\]", head).group(1).split()]
        content = objs[int(re.search(rb"/Contents\s+(\d+) 0 R", head).group(1))][1]
        texts, cmap = [], {}
        for block in re.findall(rb"\nBT\n(.*?)\nET\n", content, re.S):
            parts = []
            for font, string in _text_tokens(block):
                if font:
                    cmap = fonts.get(font, {})
                    continue
                parts.extend(cmap.get(int.from_bytes(string[i:i + 2], "big"), "?")
                             for i in range(0, len(string) - 1, 2))
            texts.append("".join(parts))
        pages.append({"mediabox": box, "text": texts})
    return pages


def page_text(page: dict) -> str:
    return " ".join(" ".join(page["text"]).split())
