#!/usr/bin/env python3
"""Writes frames.pcap: a corpus of Ethernet frames covering what filters test (ARP, ICMP,
UDP, TCP, IPv4 options and fragments, IPv6 with and without a fragment header, VLAN tags,
802.3/LLC, multicast, broadcast, a truncated capture). Frame N has timestamp N seconds, so
`tcpdump -tt` names the frames a filter accepts."""
import struct, sys

def csum(b):
    if len(b) % 2: b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff

def mac(s): return bytes(int(x, 16) for x in s.split(":"))
def ip4(s): return bytes(int(x) for x in s.split("."))
def ip6(s):
    import ipaddress
    return ipaddress.IPv6Address(s).packed

A, B, C = "02:00:00:00:00:01", "02:00:00:00:00:02", "02:00:00:00:00:03"
BC = "ff:ff:ff:ff:ff:ff"

def eth(dst, src, typ, payload): return mac(dst) + mac(src) + struct.pack("!H", typ) + payload

def ipv4(src, dst, proto, payload, ttl=64, frag=0, options=b"", ident=1):
    ihl = 5 + len(options) // 4
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, 4 * ihl + len(payload), ident, frag, ttl, proto, 0, ip4(src), ip4(dst)) + options
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload

def ipv6(src, dst, nh, payload, hlim=64):
    return struct.pack("!IHBB", 0x60000000, len(payload), nh, hlim) + ip6(src) + ip6(dst) + payload

def icmp(t, c, rest=b"\0\0\0\0", data=b""):
    b = struct.pack("!BBH", t, c, 0) + rest + data
    return b[:2] + struct.pack("!H", csum(b)) + b[4:]

def udp(sp, dp, data=b""): return struct.pack("!HHHH", sp, dp, 8 + len(data), 0) + data

def tcp(sp, dp, flags, seq=1000, ack=0, data=b"", opts=b""):
    off = (20 + len(opts)) // 4
    return struct.pack("!HHIIBBHHH", sp, dp, seq, ack, off << 4, flags, 64240, 0, 0) + opts + data

def arp(op, sha, spa, tha, tpa, ptype=0x0800):
    return struct.pack("!HHBBH", 1, ptype, 6, 4, op) + mac(sha) + ip4(spa) + mac(tha) + ip4(tpa)

echo_data = bytes(range(56))
frames = []  # (bytes, wire length)
def add(b, wire=None): frames.append((b, wire if wire is not None else len(b)))

add(eth(BC, A, 0x0806, arp(1, A, "10.0.0.1", "00:00:00:00:00:00", "10.0.0.2")))
add(eth(A, B, 0x0806, arp(2, B, "10.0.0.2", A, "10.0.0.1")))
req = ipv4("10.0.0.1", "10.0.0.2", 1, icmp(8, 0, struct.pack("!HH", 7, 1), echo_data))
add(eth(B, A, 0x0800, req))
add(eth(A, B, 0x0800, ipv4("10.0.0.2", "10.0.0.1", 1, icmp(0, 0, struct.pack("!HH", 7, 1), echo_data))))
probe = ipv4("10.0.0.1", "10.0.0.2", 17, udp(44000, 33434, b"x" * 32), ttl=1)
add(eth(B, A, 0x0800, probe))
add(eth(A, B, 0x0800, ipv4("10.0.0.2", "10.0.0.1", 1, icmp(3, 3, data=probe[:28]))))
add(eth(A, C, 0x0800, ipv4("10.0.1.254", "10.0.0.1", 1, icmp(11, 0, data=probe[:28]), ttl=255)))
add(eth(B, A, 0x0800, ipv4("10.0.0.1", "192.168.1.53", 17, udp(51000, 53, b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x07example\x03com\x00\x00\x01\x00\x01"))))
add(eth(B, A, 0x0800, ipv4("10.0.0.1", "192.168.1.10", 6, tcp(40000, 80, 0x02, opts=b"\x02\x04\x05\xb4\x04\x02\x08\x0a\x00\x00\x00\x01\x00\x00\x00\x00\x01\x03\x03\x07"))))
add(eth(A, B, 0x0800, ipv4("192.168.1.10", "10.0.0.1", 6, tcp(80, 40000, 0x12, seq=5000, ack=1001))))
add(eth(B, A, 0x0800, ipv4("10.0.0.1", "192.168.1.10", 6, tcp(40000, 80, 0x18, seq=1001, ack=5001, data=b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"))))
add(eth(B, A, 0x0800, ipv4("10.0.0.1", "192.168.1.10", 6, tcp(40000, 80, 0x11, seq=1027, ack=5001))))
add(eth(B, A, 0x0800, ipv4("10.0.0.1", "10.0.0.2", 17, b"\xaa" * 40, frag=0x0005)))  # a later fragment
add(eth(B, A, 0x0800, ipv4("10.0.0.1", "10.0.0.2", 17, udp(53, 1234, b"y" * 20), frag=0x2000)))  # first fragment, MF
add(eth(B, A, 0x0800, ipv4("10.0.0.1", "10.0.0.2", 6, tcp(50000, 22, 0x04), options=b"\x94\x04\x00\x00")))  # router alert, IHL 6
add(eth("33:33:ff:00:00:02", A, 0x86dd, ipv6("fe80::1", "ff02::1:ff00:2", 58, icmp(135, 0, b"\0\0\0\0", ip6("fe80::2") + b"\x01\x01" + mac(A)), hlim=255)))
add(eth(B, A, 0x86dd, ipv6("2001:db8::1", "2001:db8::2", 17, udp(40001, 53, b"z" * 12))))
add(eth(B, A, 0x86dd, ipv6("2001:db8::1", "2001:db8::2", 44, struct.pack("!BBHI", 6, 0, 1, 99) + tcp(40002, 443, 0x02))))
add(eth(B, A, 0x86dd, ipv6("2001:db8::1", "2001:db8::2", 58, icmp(128, 0, struct.pack("!HH", 9, 1), b"ping"))))
add(eth(B, A, 0x86dd, ipv6("::1", "::1", 6, tcp(80, 8080, 0x10))))
add(eth(B, A, 0x8100, struct.pack("!HH", 10, 0x0800) + req))
add(eth(B, A, 0x8100, struct.pack("!HH", 20, 0x8100) + struct.pack("!HH", 30, 0x0800) + req))
stp = b"\x42\x42\x03" + b"\x00" * 35
add(mac("01:80:c2:00:00:00") + mac(A) + struct.pack("!H", len(stp)) + stp)
add(eth("01:00:5e:00:00:fb", A, 0x0800, ipv4("10.0.0.1", "224.0.0.251", 17, udp(5353, 5353, b"m" * 12), ttl=255)))
add(eth(BC, A, 0x0800, ipv4("0.0.0.0", "255.255.255.255", 17, udp(68, 67, b"\x01" + b"\0" * 239))))
add(eth(B, A, 0x0800, ipv4("10.0.0.1", "10.0.0.255", 17, udp(137, 137, b"n" * 50))))
full = eth(B, A, 0x0800, ipv4("10.0.0.1", "10.0.0.2", 6, tcp(40000, 8080, 0x02)))
add(full[:20], len(full))  # cut by a small snaplen: the TCP header is not there
add(eth("01:00:5e:00:00:16", A, 0x0800, ipv4("10.0.0.1", "224.0.0.22", 2, b"\x22\x00\xf9\x01\x00\x00\x00\x01\x04\x00\x00\x00\xe0\x00\x00\xfb", ttl=1, options=b"\x94\x04\x00\x00")))
add(eth(BC, A, 0x8035, arp(3, A, "0.0.0.0", A, "0.0.0.0")))
add(eth(B, A, 0x0800, ipv4("10.0.0.1", "10.0.0.2", 132, struct.pack("!HHII", 3000, 3868, 0, 0) + b"\x01" * 20)))
add(eth(B, A, 0x0800, ipv4("127.0.0.1", "127.0.0.1", 17, udp(1000, 65535))))
add(eth(B, A, 0x0800, ipv4("172.16.5.4", "10.0.0.1", 47, b"\x00\x00\x08\x00" + req)))
add(eth(B, A, 0x88cc, b"\x02\x07\x04" + mac(A) + b"\x00" * 20))
add(eth(A, B, 0x0800, ipv4("10.0.0.2", "10.0.0.1", 1, icmp(5, 1, ip4("10.0.0.254"), probe[:28]))))

out = sys.stdout.buffer
out.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1))
for i, (b, wire) in enumerate(frames):
    out.write(struct.pack("<IIII", i, 0, len(b), wire) + b)
