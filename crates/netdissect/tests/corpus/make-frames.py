#!/usr/bin/env python3
"""Writes the generated part of the printer corpus: eth.pcap (Ethernet frames covering every
printer and its corner cases: bad checksums, options, fragments, truncated captures, unknown
types), sll2.pcap (Linux cooked v2, as `tcpdump -i any` writes), raw.pcap and null.pcap.

    cd crates/netdissect/tests/corpus && ./make-frames.py

Time stamps vary (and once go backwards) so that every -t variant is exercised."""
import ipaddress, struct

def csum(b):
    if len(b) % 2: b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff

def mac(s): return bytes(int(x, 16) for x in s.split(":"))
def ip4(s): return ipaddress.IPv4Address(s).packed
def ip6(s): return ipaddress.IPv6Address(s).packed

A, B, C = "02:00:00:00:00:01", "02:00:00:00:00:02", "00:00:0c:12:34:56"
BC = "ff:ff:ff:ff:ff:ff"

def eth(dst, src, typ, payload): return mac(dst) + mac(src) + struct.pack("!H", typ) + payload

def ipv4(src, dst, proto, payload, ttl=64, frag=0x4000, options=b"", ident=0x1234, tos=0, bad_sum=False, total=None):
    ihl = 5 + len(options) // 4
    tl = total if total is not None else 4 * ihl + len(payload)
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, tos, tl, ident, frag, ttl, proto, 0, ip4(src), ip4(dst)) + options
    s = csum(h) ^ (0x1111 if bad_sum else 0)
    h = h[:10] + struct.pack("!H", s) + h[12:]
    return h + payload

def ph4(src, dst, proto, n): return ip4(src) + ip4(dst) + struct.pack("!BBH", 0, proto, n)
def ph6(src, dst, nh, n): return ip6(src) + ip6(dst) + struct.pack("!IxxxB", n, nh)

def ipv6(src, dst, nh, payload, hlim=64, tc=0, flow=0):
    return struct.pack("!IHBB", 0x60000000 | tc << 20 | flow, len(payload), nh, hlim) + ip6(src) + ip6(dst) + payload

def icmp(t, c, rest=b"\0\0\0\0", data=b"", bad=False):
    b = struct.pack("!BBH", t, c, 0) + rest + data
    s = csum(b) ^ (0x0101 if bad else 0)
    return b[:2] + struct.pack("!H", s) + b[4:]

def icmp6(src, dst, t, c, body, bad=False):
    b = struct.pack("!BBH", t, c, 0) + body
    s = csum(ph6(src, dst, 58, len(b)) + b) ^ (0x0101 if bad else 0)
    return b[:2] + struct.pack("!H", s) + b[4:]

def udp(sp, dp, data=b"", src=None, dst=None, v6=False, zero=False, bad=False, ulen=None):
    n = ulen if ulen is not None else 8 + len(data)
    b = struct.pack("!HHHH", sp, dp, n, 0) + data
    if src and not zero:
        ph = ph6(src, dst, 17, len(b)) if v6 else ph4(src, dst, 17, len(b))
        s = csum(ph + b) ^ (0x0101 if bad else 0)
        if s == 0: s = 0xffff
        b = b[:6] + struct.pack("!H", s) + b[8:]
    return b

def tcp(sp, dp, flags, seq=1000, ack=0, data=b"", opts=b"", win=64240, src=None, dst=None, v6=False, bad=False, urp=0, off=None):
    o = off if off is not None else (20 + len(opts)) // 4
    b = struct.pack("!HHIIBBHHH", sp, dp, seq, ack, o << 4, flags, win, 0, urp) + opts + data
    if src:
        ph = ph6(src, dst, 6, len(b)) if v6 else ph4(src, dst, 6, len(b))
        s = csum(ph + b) ^ (0x0101 if bad else 0)
        b = b[:16] + struct.pack("!H", s) + b[18:]
    return b

def arp(op, sha, spa, tha, tpa, ptype=0x0800, hrd=1):
    return struct.pack("!HHBBH", hrd, ptype, 6, 4, op) + mac(sha) + ip4(spa) + mac(tha) + ip4(tpa)

frames = []  # (bytes, wire length)
def add(b, wire=None): frames.append((b, wire if wire is not None else len(b)))

def v4(src, dst, proto, payload, smac=A, dmac=B, **kw): add(eth(dmac, smac, 0x0800, ipv4(src, dst, proto, payload, **kw)))
def t4(src, dst, sp, dp, flags, smac=A, dmac=B, **kw): v4(src, dst, 6, tcp(sp, dp, flags, src=src, dst=dst, **kw), smac=smac, dmac=dmac)
def u4(src, dst, sp, dp, data=b"", **kw): v4(src, dst, 17, udp(sp, dp, data, src=src, dst=dst), **kw)

H1, H2, R1 = "10.0.0.1", "10.0.0.2", "10.0.0.254"
echo_data = bytes(range(0x10, 0x48))

# --- ARP ---
add(eth(BC, A, 0x0806, arp(1, A, H1, "00:00:00:00:00:00", H2)))
add(eth(A, B, 0x0806, arp(2, B, H2, A, H1)))
add(eth(BC, A, 0x0806, arp(1, A, H1, "00:00:00:00:00:00", H2)) + b"\0" * 18)  # padded to 60
add(eth(B, A, 0x0806, arp(1, A, H1, B, H2)))  # unicast probe with a target MAC
add(eth(BC, A, 0x0806, arp(1, A, H1, "00:00:00:00:00:00", H1)))  # gratuitous
add(eth(BC, A, 0x8035, arp(3, A, "0.0.0.0", A, "0.0.0.0")))
add(eth(A, B, 0x8035, arp(4, B, H2, A, H1)))
add(eth(BC, A, 0x0806, arp(1, A, H1, "00:00:00:00:00:00", H2, ptype=0x86dd)))
add(eth(BC, A, 0x0806, arp(7, A, H1, "00:00:00:00:00:00", H2)))
add(eth(BC, A, 0x0806, arp(1, A, H1, "00:00:00:00:00:00", H2, hrd=6)))
full = eth(BC, A, 0x0806, arp(1, A, H1, "00:00:00:00:00:00", H2)); add(full[:30], len(full))
add(full[:18], len(full))
add(full[:10], len(full))

# --- ICMP ---
v4(H1, H2, 1, icmp(8, 0, struct.pack("!HH", 0x1c2a, 1), echo_data))
v4(H2, H1, 1, icmp(0, 0, struct.pack("!HH", 0x1c2a, 1), echo_data), smac=B, dmac=A)
v4(H1, H2, 1, icmp(8, 0, struct.pack("!HH", 7, 2), echo_data, bad=True))
probe = ipv4(H1, "192.0.2.9", 17, udp(44000, 33434, b"@" * 32, src=H1, dst="192.0.2.9"), ttl=1, frag=0)
tprobe = ipv4(H1, "192.0.2.9", 6, tcp(44001, 80, 2, src=H1, dst="192.0.2.9"), ttl=1)
for code in range(0, 16):
    rest = struct.pack("!HH", 0, 1400) if code == 4 else b"\0\0\0\0"
    v4(R1, H1, 1, icmp(3, code, rest, probe[:28]), smac=B, dmac=A, frag=0)
v4(R1, H1, 1, icmp(3, 3, data=tprobe[:28]), smac=B, dmac=A)
v4(R1, H1, 1, icmp(3, 3, data=ipv4(H1, "192.0.2.9", 253, b"\x0b\xb8\x0f\x1c" + b"\0" * 4)[:28]), smac=B, dmac=A)
v4(R1, H1, 1, icmp(3, 4, data=probe[:28]), smac=B, dmac=A)
v4(R1, H1, 1, icmp(3, 3, data=probe), smac=B, dmac=A)  # the whole probe quoted
v4(R1, H1, 1, icmp(3, 3, data=probe[:24]), smac=B, dmac=A)  # quote cut inside the UDP header
v4(R1, H1, 1, icmp(11, 0, data=probe[:28]), smac=B, dmac=A, ttl=255)
v4(R1, H1, 1, icmp(11, 1, data=probe[:28]), smac=B, dmac=A)
v4(R1, H1, 1, icmp(11, 5, data=probe[:28]), smac=B, dmac=A)
v4(R1, H1, 1, icmp(5, 1, ip4("10.0.0.253"), probe[:28]), smac=B, dmac=A)
v4(R1, H1, 1, icmp(5, 0, ip4("10.0.0.253"), probe[:28]), smac=B, dmac=A)
v4(R1, H1, 1, icmp(5, 3, ip4("10.0.0.253"), probe[:28]), smac=B, dmac=A)
v4(R1, H1, 1, icmp(5, 9, ip4("10.0.0.253"), probe[:28]), smac=B, dmac=A)
v4(R1, H1, 1, icmp(12, 0, b"\x08\0\0\0", probe[:28]), smac=B, dmac=A)
v4(R1, H1, 1, icmp(12, 1, b"\0\0\0\0", probe[:28]), smac=B, dmac=A)
v4(R1, H1, 1, icmp(4, 0, data=probe[:28]), smac=B, dmac=A)
v4(H1, H2, 1, icmp(13, 0, struct.pack("!HH", 5, 6), struct.pack("!III", 3723004, 0, 0)))
v4(H2, H1, 1, icmp(14, 0, struct.pack("!HH", 5, 6), struct.pack("!III", 3723004, 3723010, 86399999)), smac=B, dmac=A)
v4(H1, H2, 1, icmp(17, 0, struct.pack("!HH", 5, 6), b"\0\0\0\0"))
v4(H2, H1, 1, icmp(18, 0, struct.pack("!HH", 5, 6), ip4("255.255.255.0")), smac=B, dmac=A)
v4(R1, "224.0.0.1", 1, icmp(9, 0, struct.pack("!BBH", 2, 2, 1800), ip4(R1) + struct.pack("!I", 0) + ip4("10.0.0.253") + struct.pack("!I", 5)), dmac="01:00:5e:00:00:01")
v4(R1, "224.0.0.1", 1, icmp(9, 0, struct.pack("!BBH", 1, 2, 45), ip4(R1) + struct.pack("!I", 0)), dmac="01:00:5e:00:00:01")
v4(R1, "224.0.0.1", 1, icmp(9, 0, struct.pack("!BBH", 1, 2, 7200), ip4(R1) + struct.pack("!I", 0)), dmac="01:00:5e:00:00:01")
v4(H1, "224.0.0.2", 1, icmp(10, 0), dmac="01:00:5e:00:00:02")
v4(H1, H2, 1, icmp(15, 0, struct.pack("!HH", 1, 1)))
v4(H1, H2, 1, icmp(42, 3, b"abcd", b"efgh"))
big = ipv4(H1, "192.0.2.9", 1, icmp(8, 0, struct.pack("!HH", 9, 9), bytes(300)), ttl=1)
v4(R1, H1, 1, icmp(11, 0, b"\0\0\0\0", big[:200]), smac=B, dmac=A)   # RFC 4884-sized quote
e = icmp(8, 0, struct.pack("!HH", 0x1c2a, 3), echo_data); fr = eth(B, A, 0x0800, ipv4(H1, H2, 1, e))
add(fr[:40], len(fr))  # cut inside the ICMP header
add(fr[:36], len(fr))  # cut before the id
add(fr[:60], len(fr))  # cut inside the data

# --- IPv4 header corners ---
v4(H1, H2, 17, udp(40000, 9999, b"opts", src=H1, dst=H2), options=b"\x07\x0b\x04" + bytes(8) + b"\x00")   # RR
v4(H1, H2, 17, udp(40000, 9999, b"opts", src=H1, dst=H2), options=b"\x07\x0b\x08" + ip4("10.0.0.9") + ip4("10.0.0.10") + b"\x00")
v4(H1, H2, 17, udp(40000, 9999, b"lsrr", src=H1, dst=H2), options=b"\x01\x83\x07\x04" + ip4("10.9.9.9"))
v4(H1, H2, 17, udp(40000, 9999, b"ts", src=H1, dst=H2), options=b"\x44\x0c\x05\x00" + struct.pack("!II", 1000, 2000))
v4(H1, H2, 17, udp(40000, 9999, b"ts", src=H1, dst=H2), options=b"\x44\x0c\x0d\x11" + ip4(H1) + struct.pack("!I", 1000))
v4(H1, H2, 17, udp(40000, 9999, b"ra", src=H1, dst=H2), options=b"\x94\x04\x00\x00")
v4(H1, H2, 17, udp(40000, 9999, b"ra", src=H1, dst=H2), options=b"\x94\x04\x00\x07")
v4(H1, H2, 17, udp(40000, 9999, b"sec", src=H1, dst=H2), options=b"\x82\x04\x00\x00\x01\x00\x00\x00")
v4(H1, H2, 17, udp(40000, 9999, b"bad", src=H1, dst=H2), options=b"\x07\x01\x00\x00")
v4(H1, H2, 17, udp(40000, 9999, b"bad", src=H1, dst=H2), options=b"\x07\x09\x04\x00")
v4(H1, H2, 17, udp(40000, 9999, b"eol", src=H1, dst=H2), options=b"\x00\x01\x01\x01")
v4(H1, H2, 17, udp(40000, 9999, b"unk", src=H1, dst=H2), options=b"\x99\x04\x00\x00")
v4(H1, H2, 17, udp(40000, 9999, b"sum", src=H1, dst=H2), bad_sum=True)
v4(H1, H2, 17, udp(40000, 9999, b"tos", src=H1, dst=H2), tos=0x03)
v4(H1, H2, 17, udp(40000, 9999, b"tos", src=H1, dst=H2), tos=0xb9, ttl=0)
v4(H1, H2, 17, udp(40000, 9999, b"tos", src=H1, dst=H2), tos=0x02, frag=0x8000)
v4(H1, H2, 17, udp(40000, 9999, b"x" * 40, src=H1, dst=H2), frag=0x2000, ident=77)
v4(H1, H2, 17, b"x" * 40, frag=0x2005, ident=77)
v4(H1, H2, 17, b"x" * 20, frag=0x000a, ident=77)
v4(H1, H2, 1, b"x" * 20, frag=0x000a, ident=78)
v4(H1, H2, 6, b"x" * 20, frag=0x000a, ident=79)
v4(H1, H2, 99, b"x" * 20, frag=0x000a, ident=80)
v4(H1, H2, 253, b"x" * 16)
v4(H1, H2, 100, b"x" * 16)
v4(H1, H2, 59, b"")
v4(H1, H2, 58, b"x" * 8)
v4(H1, H2, 17, udp(40000, 9999, b"short", src=H1, dst=H2), total=30)
v4(H1, H2, 17, udp(40000, 9999, b"long", src=H1, dst=H2), total=100)
v4(H1, H2, 17, udp(40000, 9999, b"", src=H1, dst=H2), total=12)
add(eth(B, A, 0x0800, b"\x45\x00\x00\x14"))
add(eth(B, A, 0x0800, b"\x43" + bytes(19)))
add(eth(B, A, 0x0800, b"\x55" + bytes(30)))
add(eth(B, A, 0x0800, b"\x65" + bytes(30)))
add(eth(B, A, 0x0800, b""))
add(eth(B, A, 0x0800, ipv4(H1, H2, 17, udp(40000, 9999, b"pad", src=H1, dst=H2))) + b"\0" * 12)
x = eth(B, A, 0x0800, ipv4(H1, H2, 17, udp(40000, 9999, b"sixteen bytes ok", src=H1, dst=H2), options=b"\x94\x04\x00\x00"))
add(x[:30], len(x)); add(x[:36], len(x)); add(x[:40], len(x)); add(x[:44], len(x))
v4("127.0.0.1", "127.0.0.1", 17, udp(40000, 9999, b"lo", src="127.0.0.1", dst="127.0.0.1"))
v4(H1, H2, 4, ipv4("192.168.0.1", "192.168.0.2", 1, icmp(8, 0, struct.pack("!HH", 1, 1), b"tunnel")))
v4(H1, H2, 41, ipv6("2001:db8::1", "2001:db8::2", 59, b""))

# --- UDP ---
u4(H1, H2, 40000, 9999, b"hello")
u4(H1, H2, 9, 19, b"disc")
v4(H1, H2, 17, udp(40000, 9999, b"hello", zero=True))
v4(H1, H2, 17, udp(40000, 9999, b"hello", src=H1, dst=H2, bad=True))
v4(H1, H2, 17, udp(40000, 9999, b"hello", ulen=50))
v4(H1, H2, 17, udp(40000, 9999, b"hello", ulen=4))
v4(H1, H2, 17, udp(40000, 9999, b"hello", ulen=10))
v4(H1, H2, 17, b"\x9c\x40\x27")
v4(H1, H2, 17, b"\x9c\x40\x27\x0f\x00")
u = eth(B, A, 0x0800, ipv4(H1, H2, 17, udp(40000, 9999, b"a" * 30, src=H1, dst=H2)))
add(u[:36], len(u)); add(u[:38], len(u)); add(u[:40], len(u)); add(u[:50], len(u))
u4(H1, H2, 40000, 514, b"<13>Nov 22 06:00:00 host prog: hi\n")
u4(H1, H2, 40000, 514, b"<191>x")
u4(H1, H2, 40000, 514, b"no pri")

# --- TCP ---
S, SA = "10.1.0.1", "10.1.0.2"
syn_opts = b"\x02\x04\x05\xb4\x04\x02\x08\x0a\x00\x01\xe2\x40\x00\x00\x00\x00\x01\x03\x03\x07"
t4(S, SA, 45000, 80, 0x02, seq=3000000000, opts=syn_opts)
t4(SA, S, 80, 45000, 0x12, seq=111111, ack=3000000001, opts=syn_opts, smac=B, dmac=A)
t4(S, SA, 45000, 80, 0x10, seq=3000000001, ack=111112, opts=b"\x01\x01\x08\x0a\x00\x01\xe2\x41\x00\x00\x00\x09")
t4(S, SA, 45000, 80, 0x18, seq=3000000001, ack=111112, data=b"GET /index.html HTTP/1.1\r\nHost: example\r\nAccept: */*\r\n\r\n")
t4(SA, S, 80, 45000, 0x10, seq=111112, ack=3000000056, smac=B, dmac=A)
t4(SA, S, 80, 45000, 0x18, seq=111112, ack=3000000056, data=b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", smac=B, dmac=A)
t4(SA, S, 80, 45000, 0x18, seq=111170, ack=3000000056, data=b"\x00\x01binary", smac=B, dmac=A)
t4(SA, S, 80, 45000, 0x18, seq=111178, ack=3000000056, data=b"no line end", smac=B, dmac=A)
t4(S, SA, 45000, 80, 0x10, seq=3000000056, ack=111190, opts=b"\x01\x01\x05\x0a" + struct.pack("!II", 111200, 111300))
t4(S, SA, 45000, 80, 0x11, seq=3000000056, ack=111190)
t4(SA, S, 80, 45000, 0x11, seq=111190, ack=3000000057, smac=B, dmac=A)
t4(S, SA, 45000, 80, 0x10, seq=3000000057, ack=111191)
t4(S, SA, 45001, 80, 0x04, seq=5, ack=0)
t4(SA, S, 80, 45002, 0x14, seq=0, ack=77, smac=B, dmac=A)
t4(SA, S, 80, 45002, 0x14, seq=0, ack=77, data=b"reset reason\x01\xff text that goes on and on", smac=B, dmac=A)
t4(S, SA, 45003, 22, 0xc2, seq=1, opts=b"\x02\x04\x05\xb4")
t4(S, SA, 45003, 22, 0x18, seq=2, ack=9, data=b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n")
t4(S, SA, 45004, 8080, 0x38, seq=9, ack=9, urp=3, data=b"POST /x HTTP/1.0\n\n")
t4(S, SA, 45005, 9999, 0x00, seq=1)
t4(S, SA, 45005, 9999, 0x10, seq=1, ack=1, bad=True)
t4(S, SA, 45006, 9999, 0x02, seq=1, opts=b"\x02\x03\x05\x00")
t4(S, SA, 45006, 9999, 0x02, seq=1, opts=b"\x02\x09\x05\xb4")
t4(S, SA, 45006, 9999, 0x02, seq=1, opts=b"\x4d\x04\xab\xcd")
t4(S, SA, 45006, 9999, 0x02, seq=1, opts=b"\x1c\x04\x01\x2d\x13\x12" + bytes(16) + b"\x00\x00")
t4(S, SA, 45006, 9999, 0x02, seq=1, opts=b"\x22\x02\x01\x01\x22\x0a" + bytes(8) + b"\x04\x02\x00\x00")
t4(S, SA, 45006, 9999, 0x02, seq=1, opts=b"\x00\x00\x00\x00")
t4(S, SA, 45006, 9999, 0x02, seq=1, opts=b"\x05\x05\x00\x00\x00\x00\x00\x00")
t4(S, SA, 45007, 9999, 0x10, seq=1, ack=1, off=4)
t4(S, SA, 45007, 9999, 0x10, seq=1, ack=1, off=15)
t = eth(B, A, 0x0800, ipv4(S, SA, 6, tcp(45008, 9999, 0x02, opts=syn_opts, src=S, dst=SA)))
add(t[:40], len(t)); add(t[:50], len(t)); add(t[:60], len(t)); add(t[:64], len(t))
t = eth(B, A, 0x0800, ipv4(S, SA, 6, tcp(45009, 80, 0x18, seq=1, ack=1, data=b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", src=S, dst=SA)))
add(t[:60], len(t))
t4(S, SA, 45010, 53, 0x18, seq=1, ack=1, data=b"\x00\x1d\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x07example\x03com\x00\x00\x01\x00\x01")

# --- DNS ---
def name(n):
    return b"".join(bytes([len(l)]) + l.encode() for l in n.split(".") if l) + b"\0"
def q(n, t=1, c=1): return name(n) + struct.pack("!HH", t, c)
def rr(n, t, data, ttl=300, c=1): return (n if isinstance(n, bytes) else name(n)) + struct.pack("!HHIH", t, c, ttl, len(data)) + data
def dns(i, flags, qd=(), an=(), ns=(), ar=()):
    return struct.pack("!HHHHHH", i, flags, len(qd), len(an), len(ns), len(ar)) + b"".join(qd) + b"".join(an) + b"".join(ns) + b"".join(ar)
D = "10.0.0.53"
opt = b"\0" + struct.pack("!HHIH", 41, 1232, 0, 0)
u4(H1, D, 51000, 53, dns(0x1234, 0x0100, [q("example.com")]))
u4(H1, D, 51000, 53, dns(0x1234, 0x0100, [q("example.com", 28)], ar=[opt]))
u4(D, H1, 53, 51000, dns(0x1234, 0x8180, [q("example.com")], [rr(b"\xc0\x0c", 1, ip4("93.184.216.34"))]))
u4(D, H1, 53, 51000, dns(0x1235, 0x8580, [q("www.example.com")], [rr(b"\xc0\x0c", 5, name("example.com")), rr(b"\xc0\x2d", 1, ip4("93.184.216.34")), rr(b"\xc0\x2d", 1, ip4("93.184.216.35"))]))
u4(D, H1, 53, 51000, dns(0x1236, 0x8183, [q("nothere.example.com")], ns=[rr(b"\xc0\x14", 6, name("ns.example.com") + name("admin.example.com") + struct.pack("!IIIII", 1, 2, 3, 4, 5))]))
u4(D, H1, 53, 51000, dns(0x1237, 0x8180, [q("example.com", 15)], [rr(b"\xc0\x0c", 15, struct.pack("!H", 10) + name("mail.example.com"))]))
u4(D, H1, 53, 51000, dns(0x1238, 0x8180, [q("example.com", 16)], [rr(b"\xc0\x0c", 16, b"\x05hello\x05world")]))
u4(D, H1, 53, 51000, dns(0x1239, 0x8180, [q("example.com", 28)], [rr(b"\xc0\x0c", 28, ip6("2001:db8::1"))], ar=[opt]))
u4(D, H1, 53, 51000, dns(0x123a, 0x8180, [q("1.0.0.10.in-addr.arpa", 12)], [rr(b"\xc0\x0c", 12, name("host.example.com"))]))
u4(D, H1, 53, 51000, dns(0x123b, 0x8182, [q("example.com")]))
u4(D, H1, 53, 51000, dns(0x123c, 0x8580, [q("example.com", 2)], [rr(b"\xc0\x0c", 2, name("ns1.example.com")), rr(b"\xc0\x0c", 2, name("ns2.example.com"))], ar=[rr(name("ns1.example.com"), 1, ip4("10.0.0.53"))]))
u4(D, H1, 53, 51000, dns(0x123d, 0x8180, [q("example.com", 33)], [rr(b"\xc0\x0c", 33, struct.pack("!HHH", 1, 2, 443) + name("srv.example.com"))]))
u4(D, H1, 53, 51000, dns(0x123e, 0x8180, [q("example.com", 99)], [rr(b"\xc0\x0c", 99, b"\x01\x02\x03")]))
u4(H1, D, 51000, 53, dns(0x0001, 0x0000, [q("a.b"), q("c.d", 255)]))
u4(H1, D, 51000, 53, dns(0x0002, 0x2900, [q("upd.example")]))
u4(H1, D, 51000, 53, b"\x12\x34\x01")
u4(H1, D, 51000, 53, dns(0x0003, 0x0100, [name("loop")[:-1] + b"\xc0\x0c" + b"\0\1\0\1"]))
u4(D, H1, 53, 51000, dns(0x1234, 0x8180, [q("example.com")], [rr(b"\xc0\x0c", 1, ip4("93.184.216.34"))])[:40])
u4("10.0.0.9", "224.0.0.251", 5353, 5353, dns(0, 0, [q("_http._tcp.local", 12, 0x8001)]), dmac="01:00:5e:00:00:fb")
u4("10.0.0.9", "224.0.0.251", 5353, 5353, dns(0, 0x8400, [], [rr(name("box.local"), 1, ip4("10.0.0.9"), c=0x8001)]), dmac="01:00:5e:00:00:fb")

# --- DHCP ---
def bootp(op, xid, chaddr, opts, ciaddr="0.0.0.0", yiaddr="0.0.0.0", siaddr="0.0.0.0", flags=0, secs=0):
    b = struct.pack("!BBBBIHH4s4s4s4s", op, 1, 6, 0, xid, secs, flags, ip4(ciaddr), ip4(yiaddr), ip4(siaddr), ip4("0.0.0.0"))
    b += mac(chaddr) + bytes(10) + bytes(64) + bytes(128) + b"\x63\x82\x53\x63" + opts
    return b
def o(code, data): return bytes([code, len(data)]) + data
disc = o(53, b"\x01") + o(61, b"\x01" + mac(A)) + o(55, bytes([1, 3, 6, 15, 28, 51, 58, 59, 119, 121])) + o(57, struct.pack("!H", 1500)) + o(12, b"client1") + b"\xff"
offer = o(53, b"\x02") + o(54, ip4(R1)) + o(51, struct.pack("!I", 43200)) + o(58, struct.pack("!I", 21600)) + o(59, struct.pack("!I", 37800)) + o(1, ip4("255.255.255.0")) + o(28, ip4("10.0.0.255")) + o(3, ip4(R1)) + o(6, ip4(R1) + ip4("8.8.8.8")) + o(15, b"lab") + b"\xff"
req = o(53, b"\x03") + o(50, ip4("10.0.0.10")) + o(54, ip4(R1)) + o(55, bytes([1, 3, 6])) + b"\xff" + b"\0" * 20
v4("0.0.0.0", "255.255.255.255", 17, udp(68, 67, bootp(1, 0xdeadbeef, A, disc), src="0.0.0.0", dst="255.255.255.255"), dmac=BC)
v4(R1, "10.0.0.10", 17, udp(67, 68, bootp(2, 0xdeadbeef, A, offer, yiaddr="10.0.0.10", siaddr=R1), src=R1, dst="10.0.0.10"), smac=B, dmac=A)
v4("0.0.0.0", "255.255.255.255", 17, udp(68, 67, bootp(1, 0xdeadbeef, A, req, secs=3, flags=0x8000), src="0.0.0.0", dst="255.255.255.255"), dmac=BC)
v4(R1, "10.0.0.10", 17, udp(67, 68, bootp(2, 0xdeadbeef, A, o(53, b"\x05") + o(54, ip4(R1)) + o(51, struct.pack("!I", 43200)) + b"\xff", yiaddr="10.0.0.10"), src=R1, dst="10.0.0.10"), smac=B, dmac=A)
v4("10.0.0.10", R1, 17, udp(68, 67, bootp(1, 0x1, A, o(53, b"\x07") + o(54, ip4(R1)) + b"\xff", ciaddr="10.0.0.10"), src="10.0.0.10", dst=R1))
v4("10.0.0.10", R1, 17, udp(68, 67, bootp(1, 0x2, A, b"", ciaddr="10.0.0.10")[:236], src="10.0.0.10", dst=R1))
b = eth(BC, A, 0x0800, ipv4("0.0.0.0", "255.255.255.255", 17, udp(68, 67, bootp(1, 0xdeadbeef, A, disc), src="0.0.0.0", dst="255.255.255.255")))
add(b[:300], len(b))

# --- IPsec ---
v4("172.16.0.1", "172.16.0.2", 50, struct.pack("!II", 0x1000, 1) + bytes(range(48)))
v4("172.16.0.1", "172.16.0.2", 50, struct.pack("!I", 0x1000))
ah_icv = bytes(range(12))
v4("172.16.0.1", "172.16.0.2", 51, struct.pack("!BBHII", 1, 4, 0, 0x2000, 7) + ah_icv + icmp(8, 0, struct.pack("!HH", 5, 5), b"ah"))
v4("172.16.0.1", "172.16.0.2", 51, struct.pack("!BBHII", 50, 4, 9, 0x2000, 8) + ah_icv + struct.pack("!II", 0x3000, 2) + bytes(20))
v4("172.16.0.1", "172.16.0.2", 51, struct.pack("!BBHII", 6, 9, 0, 0x2000, 9) + ah_icv)
v4("172.16.0.1", "172.16.0.2", 17, udp(4500, 4500, struct.pack("!II", 0x4000, 3) + bytes(40), src="172.16.0.1", dst="172.16.0.2"))
v4("172.16.0.1", "172.16.0.2", 17, udp(4500, 4500, b"\xff", src="172.16.0.1", dst="172.16.0.2"))
v4("172.16.0.1", "172.16.0.2", 17, udp(4500, 4500, b"\0\0", src="172.16.0.1", dst="172.16.0.2"))

# --- IGMP, GRE, VXLAN ---
def igmp(t, mrt, grp, extra=b""):
    bb = struct.pack("!BBH4s", t, mrt, 0, ip4(grp)) + extra
    return bb[:2] + struct.pack("!H", csum(bb)) + bb[4:]
RA = b"\x94\x04\x00\x00"
v4(H1, "224.0.0.251", 2, igmp(0x16, 0, "224.0.0.251"), options=RA, ttl=1, dmac="01:00:5e:00:00:fb")
v4(H1, "224.0.0.2", 2, igmp(0x17, 0, "224.0.0.251"), options=RA, ttl=1, dmac="01:00:5e:00:00:02")
v4(R1, "224.0.0.1", 2, igmp(0x11, 100, "0.0.0.0"), options=RA, ttl=1, dmac="01:00:5e:00:00:01")
v4(R1, "224.0.0.1", 2, igmp(0x11, 100, "0.0.0.0", b"\x02\x7d\x00\x00"), options=RA, ttl=1, dmac="01:00:5e:00:00:01")
rec = struct.pack("!BBH4s", 4, 0, 0, ip4("224.0.0.251")) + struct.pack("!BBH4s", 3, 0, 1, ip4("239.1.1.1")) + ip4("10.0.0.5")
bb = struct.pack("!BBHHH", 0x22, 0, 0, 0, 2) + rec; bb = bb[:2] + struct.pack("!H", csum(bb)) + bb[4:]
v4(H1, "224.0.0.22", 2, bb, options=RA, ttl=1, dmac="01:00:5e:00:00:16")
inner = ipv4("192.168.1.1", "192.168.1.2", 1, icmp(8, 0, struct.pack("!HH", 3, 1), b"gre"))
v4("172.16.0.1", "172.16.0.2", 47, b"\x00\x00\x08\x00" + inner)
v4("172.16.0.1", "172.16.0.2", 47, b"\x20\x00\x08\x00" + struct.pack("!I", 42) + inner)
v4("172.16.0.1", "172.16.0.2", 47, b"\x00\x00\x65\x58" + eth(B, A, 0x0800, inner))
v4("172.16.0.1", "172.16.0.2", 17, udp(51234, 4789, b"\x08\x00\x00\x00\x00\x00\x2a\x00" + eth(B, A, 0x0800, inner), src="172.16.0.1", dst="172.16.0.2"))

# --- link layer ---
add(eth(B, A, 0x8100, struct.pack("!HH", 10, 0x0800) + ipv4(H1, H2, 1, icmp(8, 0, struct.pack("!HH", 1, 1), b"vlan"))))
add(eth(B, A, 0x88a8, struct.pack("!HH", 0x3014, 0x8100) + struct.pack("!HH", 0xb01e, 0x0806) + arp(1, A, H1, "00:00:00:00:00:00", H2)))
add(eth(B, A, 0x8100, struct.pack("!H", 10)))
add(eth(B, A, 0x8100, struct.pack("!HH", 10, 0x1234) + b"xyz"))
add(eth(B, A, 0x1234, b"unknown type payload, 40 bytes long......"))
add(eth(B, A, 0x88b5, b"local experimental"))
add(eth(B, C, 0x0800, ipv4(H1, H2, 17, udp(40000, 9999, b"oui", src=H1, dst=H2))))
add(eth("01:80:c2:00:00:00", A, 38, b"\x42\x42\x03" + b"\x00" * 35))
add(eth(B, A, 0x86dd, b""))
add(b"\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08")
add(b"\x02\x00\x00\x00")

# --- IPv6 ---
L1, L2 = "fe80::1", "fe80::2"
G1, G2 = "2001:db8::1", "2001:db8::2"
def v6(src, dst, nh, payload, smac=A, dmac=B, **kw): add(eth(dmac, smac, 0x86dd, ipv6(src, dst, nh, payload, **kw)))
def i6(src, dst, t, c, body, **kw):
    bad = kw.pop("bad", False)
    v6(src, dst, 58, icmp6(src, dst, t, c, body, bad), **kw)
sll = lambda m: b"\x01\x01" + mac(m)
tll = lambda m: b"\x02\x01" + mac(m)
i6(G1, G2, 128, 0, struct.pack("!HH", 0x2a, 1) + echo_data)
i6(G2, G1, 129, 0, struct.pack("!HH", 0x2a, 1) + echo_data, smac=B, dmac=A)
i6(G1, G2, 128, 0, struct.pack("!HH", 0x2a, 2) + echo_data, bad=True)
i6("::", "ff02::1:ff00:2", 135, 0, b"\0\0\0\0" + ip6(G2), dmac="33:33:ff:00:00:02", hlim=255)
i6(G1, "ff02::1:ff00:2", 135, 0, b"\0\0\0\0" + ip6(G2) + sll(A), dmac="33:33:ff:00:00:02", hlim=255)
i6(G2, G1, 136, 0, b"\x60\0\0\0" + ip6(G2) + tll(B), smac=B, dmac=A, hlim=255)
i6(L2, "ff02::1", 136, 0, b"\x20\0\0\0" + ip6(L2) + tll(B), smac=B, dmac="33:33:00:00:00:01", hlim=255)
i6(L1, "ff02::2", 133, 0, b"\0\0\0\0" + sll(A), dmac="33:33:00:00:00:02", hlim=255)
i6("::", "ff02::2", 133, 0, b"\0\0\0\0", dmac="33:33:00:00:00:02", hlim=255)
pio = struct.pack("!BBBBIII", 3, 4, 64, 0xc0, 2592000, 604800, 0) + ip6("2001:db8::")
mtu = struct.pack("!BBHI", 5, 1, 0, 1500)
rdnss = struct.pack("!BBHI", 25, 3, 0, 3600) + ip6("2001:db8::53")
i6(L2, "ff02::1", 134, 0, struct.pack("!BBHII", 64, 0, 1800, 0, 0) + sll(B) + mtu + pio + rdnss, smac=B, dmac="33:33:00:00:00:01", hlim=255)
i6(L2, "ff02::1", 134, 0, struct.pack("!BBHII", 64, 0xc8, 0, 30000, 1000) + pio, smac=B, dmac="33:33:00:00:00:01", hlim=255)
i6(L2, G1, 137, 0, b"\0\0\0\0" + ip6("2001:db8::fe") + ip6(G2) + tll(B), smac=B, dmac=A, hlim=255)
oh = ipv6(G1, "2001:db8:9::9", 17, udp(40000, 33434, b"@" * 8, src=G1, dst="2001:db8:9::9", v6=True))
i6("2001:db8::fe", G1, 1, 0, b"\0\0\0\0" + oh, smac=B, dmac=A)
i6("2001:db8::fe", G1, 1, 3, b"\0\0\0\0" + oh, smac=B, dmac=A)
i6("2001:db8::fe", G1, 1, 4, b"\0\0\0\0" + oh, smac=B, dmac=A)
i6("2001:db8::fe", G1, 1, 1, b"\0\0\0\0" + oh, smac=B, dmac=A)
i6("2001:db8::fe", G1, 2, 0, struct.pack("!I", 1280) + oh, smac=B, dmac=A)
i6("2001:db8::fe", G1, 3, 0, b"\0\0\0\0" + oh, smac=B, dmac=A)
i6("2001:db8::fe", G1, 3, 1, b"\0\0\0\0" + oh, smac=B, dmac=A)
i6("2001:db8::fe", G1, 4, 0, struct.pack("!I", 6) + oh, smac=B, dmac=A)
i6("2001:db8::fe", G1, 4, 1, struct.pack("!I", 40) + oh, smac=B, dmac=A)
i6(G1, G2, 200, 0, b"\0\0\0\0")
hbh = b"\x3a\x00\x05\x02\x00\x00\x01\x00"
def mld(t, body): return hbh, t, body
for (t, body, dst, m) in [
        (143, struct.pack("!HH", 0, 2) + struct.pack("!BBH", 4, 0, 0) + ip6("ff02::1:ff00:1") + struct.pack("!BBH", 3, 0, 1) + ip6("ff05::2") + ip6(G2), "ff02::16", "33:33:00:00:00:16"),
        (143, struct.pack("!HH", 0, 1) + struct.pack("!BBH", 1, 0, 0) + ip6("ff02::fb"), "ff02::16", "33:33:00:00:00:16"),
        (131, struct.pack("!HH", 0, 0) + ip6("ff02::fb"), "ff02::fb", "33:33:00:00:00:fb"),
        (132, struct.pack("!HH", 0, 0) + ip6("ff02::fb"), "ff02::2", "33:33:00:00:00:02"),
        (130, struct.pack("!HH", 10000, 0) + ip6("::"), "ff02::1", "33:33:00:00:00:01"),
        (130, struct.pack("!HH", 10000, 0) + ip6("::") + struct.pack("!BBH", 2, 125, 0), "ff02::1", "33:33:00:00:00:01")]:
    b2 = icmp6(L1, dst, t, 0, body)
    v6(L1, dst, 0, hbh + b2, dmac=m, hlim=1)
v6("::", "ff02::16", 0, hbh + icmp6("::", "ff02::16", 143, 0, struct.pack("!HH", 0, 1) + struct.pack("!BBH", 4, 0, 0) + ip6("ff02::1:ff00:1")), dmac="33:33:00:00:00:16", hlim=1)
v6(G1, G2, 17, udp(40000, 9999, b"six", src=G1, dst=G2, v6=True))
v6(G1, G2, 17, udp(40000, 9999, b"six", src=G1, dst=G2, v6=True, bad=True))
v6(G1, G2, 17, udp(51000, 53, dns(0x4321, 0x0100, [q("example.com", 28)]), src=G1, dst=G2, v6=True))
v6(G1, G2, 6, tcp(46000, 443, 0x02, seq=7, opts=syn_opts, src=G1, dst=G2, v6=True))
v6(G2, G1, 6, tcp(443, 46000, 0x12, seq=99, ack=8, opts=syn_opts, src=G2, dst=G1, v6=True), smac=B, dmac=A)
v6(G1, G2, 6, tcp(46000, 443, 0x10, seq=8, ack=100, src=G1, dst=G2, v6=True))
v6(G1, G2, 44, struct.pack("!BBHI", 17, 0, 1, 0xabcd) + udp(40000, 9999, b"frag0" * 4))
v6(G1, G2, 44, struct.pack("!BBHI", 17, 0, 0x0010, 0xabcd) + b"rest" * 4)
v6(G1, G2, 60, struct.pack("!BB", 59, 0) + b"\x01\x04\0\0\0\0")
v6(G1, G2, 43, struct.pack("!BBBB", 59, 2, 0, 1) + bytes(4) + ip6("2001:db8::99"))
v6(G1, G2, 59, b"")
v6(G1, G2, 99, b"opaque")
v6("::1", "::1", 17, udp(40000, 9999, b"lo6", src="::1", dst="::1", v6=True))
v6("::ffff:10.0.0.1", "64:ff9b::a00:2", 59, b"")
v6(G1, G2, 17, udp(40000, 9999, b"tc", src=G1, dst=G2, v6=True), tc=0xb8, flow=0x12345)
x = eth(B, A, 0x86dd, ipv6(G1, G2, 17, udp(40000, 9999, b"cut", src=G1, dst=G2, v6=True)))
add(x[:30], len(x)); add(x[:56], len(x)); add(x[:60], len(x))
add(eth(B, A, 0x86dd, ipv6(G1, G2, 59, b"")[:40] + b"")[:14 + 40] + b"", None)
add(eth(B, A, 0x86dd, b"\x45" + bytes(39)))

# --- DHCPv6 ---
def o6(code, data): return struct.pack("!HH", code, len(data)) + data
duid = o6(1, struct.pack("!HHI", 1, 1, 700000000) + mac(A))
sduid = o6(2, struct.pack("!HH", 3, 1) + mac(B))
ia = lambda sub=b"": o6(3, struct.pack("!III", 0x0a0b0c0d, 3600, 5400) + sub)
iaaddr = o6(5, ip6("2001:db8::100") + struct.pack("!II", 7200, 7500))
C6, S6 = "fe80::1", "fe80::2"
def d6(src, dst, sp, dp, msg, **kw): v6(src, dst, 17, udp(sp, dp, msg, src=src, dst=dst, v6=True), **kw)
d6(C6, "ff02::1:2", 546, 547, struct.pack("!I", 0x01abcdef) + duid + o6(6, struct.pack("!HHH", 23, 24, 31)) + o6(8, b"\0\0") + ia(), dmac="33:33:00:01:00:02")
d6(S6, C6, 547, 546, struct.pack("!I", 0x02abcdef) + duid + sduid + o6(7, b"\xff") + ia(iaaddr) + o6(23, ip6("2001:db8::53")) + o6(24, name("lab.example")), smac=B, dmac=A)
d6(C6, "ff02::1:2", 546, 547, struct.pack("!I", 0x03abcdef) + duid + sduid + o6(8, b"\0\x64") + ia(iaaddr) + o6(14, b""), dmac="33:33:00:01:00:02")
d6(S6, C6, 547, 546, struct.pack("!I", 0x07abcdef) + duid + sduid + ia(iaaddr + o6(13, b"\0\0ok")) + o6(13, b"\0\x02no addrs"), smac=B, dmac=A)
d6(C6, "ff02::1:2", 546, 547, struct.pack("!I", 0x0bab0001) + duid + o6(6, b"\0\x17") + o6(25, struct.pack("!III", 1, 0, 0) + o6(26, struct.pack("!IIB", 100, 200, 56) + ip6("2001:db8:100::"))) + o6(2, b"\0\x02" + bytes(8)) + o6(99, b"xyz"), dmac="33:33:00:01:00:02")
d6(C6, "ff02::1:2", 546, 547, struct.pack("!I", 0x0c000000) + ip6("2001:db8::1") + ip6(C6) + o6(9, struct.pack("!I", 0x01000001) + duid) + o6(18, b"eth0"), dmac="33:33:00:01:00:02")
d6(C6, "ff02::1:2", 546, 547, struct.pack("!I", 0x01000002) + duid[:6], dmac="33:33:00:01:00:02")
d6(C6, "ff02::1:2", 546, 547, b"\x01\x00", dmac="33:33:00:01:00:02")

# ESP over IPv6
v6(G1, G2, 50, struct.pack("!II", 0x5000, 4) + bytes(32))

def write(path, linktype, frames, t0=1700000000, step=250013):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144, linktype))
        usec = 0
        for i, (b, wire) in enumerate(frames):
            usec += step * (1 + i % 5)
            if i == 7:
                usec -= 5 * step  # a time stamp earlier than the previous one
            if i == 30:
                usec += 90061 * 1000000  # more than a day later
            f.write(struct.pack("<IIII", t0 + usec // 1000000, usec % 1000000, len(b), wire) + b)

write("eth.pcap", 1, frames)

# Linux cooked v2: protocol, reserved, ifindex, hatype, pkttype, halen, address(8).
def sll2(proto, ifindex, pkttype, payload, halen=6, addr=A, hatype=1):
    return struct.pack("!HHIHBB", proto, 0, ifindex, hatype, pkttype, halen) + (mac(addr) + b"\0\0")[:8] + payload
arpreq = arp(1, A, H1, "00:00:00:00:00:00", H2)
echo = ipv4(H1, H2, 1, icmp(8, 0, struct.pack("!HH", 3, 1), echo_data))
sf = []
for pt in range(0, 6):
    sf.append((sll2(0x0800, 1, pt, echo), None))
sf.append((sll2(0x0806, 2, 1, arpreq), None))
sf.append((sll2(0x0806, 7, 4, arp(2, B, H2, A, H1), addr=B), None))
sf.append((sll2(0x86dd, 1, 2, ipv6("::", "ff02::16", 0, hbh + icmp6("::", "ff02::16", 143, 0, struct.pack("!HH", 0, 1) + struct.pack("!BBH", 4, 0, 0) + ip6("ff02::1:ff00:1")), hlim=1)), None))
sf.append((sll2(0x0800, 1, 0, echo, halen=0, hatype=772), None))
sf.append((sll2(0x0800, 1, 0, echo, halen=4), None))
sf.append((sll2(0x8100, 1, 0, struct.pack("!HH", 5, 0x0800) + echo), None))
sf.append((sll2(0x8100, 1, 0, struct.pack("!HH", 5, 60) + b"llc"), None))
sf.append((sll2(0x8100, 1, 0, b"\0"), None))
sf.append((sll2(0x1234, 1, 0, b"unknown payload"), None))
sf.append((sll2(0x0004, 1, 0, b"\x42\x42\x03" + bytes(35)), None))
sf.append((sll2(0x0060, 1, 0, b"what"), None))
whole = sll2(0x0800, 1, 4, echo); sf.append((whole[:30], len(whole))); sf.append((whole[:12], len(whole)))
for i in range(len(sf)):
    b, w = sf[i]; sf[i] = (b, w if w is not None else len(b))
write("sll2.pcap", 276, sf)

rf = [(echo, None), (ipv6(G1, G2, 17, udp(40000, 9999, b"raw6", src=G1, dst=G2, v6=True)), None), (b"\x50" + bytes(19), None), (echo[:10], len(echo)), (b"", 20)]
rf = [(b, w if w is not None else len(b)) for b, w in rf]
write("raw.pcap", 101, rf)

nf = [(struct.pack("<I", 2) + echo, None), (struct.pack("<I", 30) + ipv6(G1, G2, 59, b""), None), (struct.pack("<I", 24) + ipv6(G1, G2, 59, b""), None),
      (struct.pack(">I", 2) + echo, None), (struct.pack("<I", 99) + b"other family", None), (b"\x02\0", 10)]
nf = [(b, w if w is not None else len(b)) for b, w in nf]
write("null.pcap", 0, nf)

# Linux cooked v1: packet type, hatype, halen, address(8), protocol.
def sll(proto, pkttype, payload, halen=6, addr=A, hatype=1):
    return struct.pack("!HHH", pkttype, hatype, halen) + (mac(addr) + b"\0\0")[:8] + struct.pack("!H", proto) + payload
lf = [(sll(0x0800, pt, echo), None) for pt in range(0, 6)]
lf += [(sll(0x0806, 1, arpreq), None), (sll(0x86dd, 4, ipv6(G1, G2, 59, b"")), None),
       (sll(0x8100, 0, struct.pack("!HH", 7, 0x0800) + echo), None), (sll(0x9999, 0, b"mystery"), None),
       (sll(0x0004, 0, b"\x42\x42\x03" + bytes(35)), None), (sll(0x0800, 0, echo, halen=0, hatype=772), None)]
whole = sll(0x0800, 4, echo); lf += [(whole[:25], len(whole)), (whole[:10], len(whole))]
lf = [(b, w if w is not None else len(b)) for b, w in lf]
write("sll.pcap", 113, lf)
