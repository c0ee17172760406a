//! Name tables tcpdump consults when it prints names (`-n` not given).
//!
//! The port names are the first entry for each port and protocol of Debian 12's `/etc/services`
//! (netbase 6.4), which tcpdump reads at start-up; the protocol keywords are IANA's
//! "Assigned Internet Protocol Numbers" keywords in the lower case tcpdump prints for a
//! fragment it cannot decode.

/// (port, name), sorted by port.
pub(crate) const TCP_SERVICES: &[(u16, &str)] = &[
    (1, "tcpmux"),
    (7, "echo"),
    (9, "discard"),
    (11, "systat"),
    (13, "daytime"),
    (15, "netstat"),
    (17, "qotd"),
    (19, "chargen"),
    (20, "ftp-data"),
    (21, "ftp"),
    (22, "ssh"),
    (23, "telnet"),
    (25, "smtp"),
    (37, "time"),
    (43, "whois"),
    (49, "tacacs"),
    (53, "domain"),
    (70, "gopher"),
    (79, "finger"),
    (80, "http"),
    (88, "kerberos"),
    (102, "iso-tsap"),
    (104, "acr-nema"),
    (106, "poppassd"),
    (110, "pop3"),
    (111, "sunrpc"),
    (113, "auth"),
    (119, "nntp"),
    (135, "epmap"),
    (139, "netbios-ssn"),
    (143, "imap2"),
    (161, "snmp"),
    (162, "snmp-trap"),
    (163, "cmip-man"),
    (164, "cmip-agent"),
    (174, "mailq"),
    (179, "bgp"),
    (199, "smux"),
    (209, "qmtp"),
    (210, "z3950"),
    (345, "pawserv"),
    (346, "zserv"),
    (369, "rpc2portmap"),
    (370, "codaauth2"),
    (389, "ldap"),
    (427, "svrloc"),
    (443, "https"),
    (444, "snpp"),
    (445, "microsoft-ds"),
    (464, "kpasswd"),
    (465, "submissions"),
    (487, "saft"),
    (512, "exec"),
    (513, "login"),
    (514, "shell"),
    (515, "printer"),
    (538, "gdomap"),
    (540, "uucp"),
    (543, "klogin"),
    (544, "kshell"),
    (548, "afpovertcp"),
    (554, "rtsp"),
    (563, "nntps"),
    (587, "submission"),
    (607, "nqs"),
    (628, "qmqp"),
    (631, "ipp"),
    (636, "ldaps"),
    (646, "ldp"),
    (655, "tinc"),
    (706, "silc"),
    (749, "kerberos-adm"),
    (750, "kerberos4"),
    (751, "kerberos-master"),
    (754, "krb-prop"),
    (775, "moira-db"),
    (777, "moira-update"),
    (783, "spamd"),
    (853, "domain-s"),
    (871, "supfilesrv"),
    (873, "rsync"),
    (989, "ftps-data"),
    (990, "ftps"),
    (992, "telnets"),
    (993, "imaps"),
    (995, "pop3s"),
    (1080, "socks"),
    (1093, "proofd"),
    (1094, "rootd"),
    (1099, "rmiregistry"),
    (1127, "supfiledbg"),
    (1178, "skkserv"),
    (1194, "openvpn"),
    (1236, "rmtcfg"),
    (1313, "xtel"),
    (1314, "xtelw"),
    (1352, "lotusnote"),
    (1433, "ms-sql-s"),
    (1524, "ingreslock"),
    (1645, "datametrics"),
    (1646, "sa-msg-port"),
    (1649, "kermit"),
    (1677, "groupwise"),
    (1812, "radius"),
    (1813, "radius-acct"),
    (2000, "cisco-sccp"),
    (2049, "nfs"),
    (2086, "gnunet"),
    (2101, "rtcm-sc104"),
    (2119, "gsigatekeeper"),
    (2121, "iprop"),
    (2135, "gris"),
    (2401, "cvspserver"),
    (2430, "venus"),
    (2431, "venus-se"),
    (2432, "codasrv"),
    (2433, "codasrv-se"),
    (2583, "mon"),
    (2600, "zebrasrv"),
    (2601, "zebra"),
    (2602, "ripd"),
    (2603, "ripngd"),
    (2604, "ospfd"),
    (2605, "bgpd"),
    (2606, "ospf6d"),
    (2607, "ospfapi"),
    (2608, "isisd"),
    (2628, "dict"),
    (2792, "f5-globalsite"),
    (2811, "gsiftp"),
    (2947, "gpsd"),
    (3050, "gds-db"),
    (3205, "isns"),
    (3260, "iscsi-target"),
    (3306, "mysql"),
    (3389, "ms-wbt-server"),
    (3493, "nut"),
    (3632, "distcc"),
    (3689, "daap"),
    (3690, "svn"),
    (4031, "suucp"),
    (4094, "sysrqd"),
    (4190, "sieve"),
    (4353, "f5-iquery"),
    (4369, "epmd"),
    (4373, "remctl"),
    (4460, "ntske"),
    (4557, "fax"),
    (4559, "hylafax"),
    (4691, "mtn"),
    (4899, "radmin-port"),
    (4949, "munin"),
    (5060, "sip"),
    (5061, "sip-tls"),
    (5222, "xmpp-client"),
    (5269, "xmpp-server"),
    (5308, "cfengine"),
    (5432, "postgresql"),
    (5556, "freeciv"),
    (5666, "nrpe"),
    (5667, "nsca"),
    (5671, "amqps"),
    (5672, "amqp"),
    (5680, "canna"),
    (6000, "x11"),
    (6001, "x11-1"),
    (6002, "x11-2"),
    (6003, "x11-3"),
    (6004, "x11-4"),
    (6005, "x11-5"),
    (6006, "x11-6"),
    (6007, "x11-7"),
    (6346, "gnutella-svc"),
    (6347, "gnutella-rtr"),
    (6379, "redis"),
    (6444, "sge-qmaster"),
    (6445, "sge-execd"),
    (6446, "mysql-proxy"),
    (6514, "syslog-tls"),
    (6566, "sane-port"),
    (6667, "ircd"),
    (6697, "ircs-u"),
    (7000, "bbs"),
    (7100, "font-service"),
    (8021, "zope-ftp"),
    (8080, "http-alt"),
    (8081, "tproxy"),
    (8088, "omniorb"),
    (8140, "puppet"),
    (8990, "clc-build-daemon"),
    (9098, "xinetd"),
    (9101, "bacula-dir"),
    (9102, "bacula-fd"),
    (9103, "bacula-sd"),
    (9418, "git"),
    (9667, "xmms2"),
    (9673, "zope"),
    (10000, "webmin"),
    (10050, "zabbix-agent"),
    (10051, "zabbix-trapper"),
    (10080, "amanda"),
    (10081, "kamanda"),
    (10082, "amandaidx"),
    (10083, "amidxtape"),
    (10809, "nbd"),
    (11112, "dicom"),
    (11371, "hkp"),
    (17004, "sgi-cad"),
    (17500, "db-lsp"),
    (22125, "dcap"),
    (22128, "gsidcap"),
    (22273, "wnn6"),
    (24554, "binkp"),
    (27374, "asp"),
    (30865, "csync2"),
    (57000, "dircproxy"),
    (60177, "tfido"),
    (60179, "fido"),
];

/// (port, name), sorted by port.
pub(crate) const UDP_SERVICES: &[(u16, &str)] = &[
    (7, "echo"),
    (9, "discard"),
    (13, "daytime"),
    (19, "chargen"),
    (21, "fsp"),
    (37, "time"),
    (49, "tacacs"),
    (53, "domain"),
    (67, "bootps"),
    (68, "bootpc"),
    (69, "tftp"),
    (88, "kerberos"),
    (111, "sunrpc"),
    (123, "ntp"),
    (137, "netbios-ns"),
    (138, "netbios-dgm"),
    (161, "snmp"),
    (162, "snmp-trap"),
    (163, "cmip-man"),
    (164, "cmip-agent"),
    (177, "xdmcp"),
    (213, "ipx"),
    (319, "ptp-event"),
    (320, "ptp-general"),
    (369, "rpc2portmap"),
    (370, "codaauth2"),
    (371, "clearcase"),
    (389, "ldap"),
    (427, "svrloc"),
    (443, "https"),
    (464, "kpasswd"),
    (500, "isakmp"),
    (512, "biff"),
    (513, "who"),
    (514, "syslog"),
    (517, "talk"),
    (518, "ntalk"),
    (520, "route"),
    (538, "gdomap"),
    (546, "dhcpv6-client"),
    (547, "dhcpv6-server"),
    (554, "rtsp"),
    (623, "asf-rmcp"),
    (636, "ldaps"),
    (646, "ldp"),
    (655, "tinc"),
    (750, "kerberos4"),
    (751, "kerberos-master"),
    (752, "passwd-server"),
    (779, "moira-ureg"),
    (853, "domain-s"),
    (1194, "openvpn"),
    (1210, "predict"),
    (1434, "ms-sql-m"),
    (1645, "datametrics"),
    (1646, "sa-msg-port"),
    (1701, "l2f"),
    (1812, "radius"),
    (1813, "radius-acct"),
    (2049, "nfs"),
    (2086, "gnunet"),
    (2101, "rtcm-sc104"),
    (2102, "zephyr-srv"),
    (2103, "zephyr-clt"),
    (2104, "zephyr-hm"),
    (2430, "venus"),
    (2431, "venus-se"),
    (2432, "codasrv"),
    (2433, "codasrv-se"),
    (2583, "mon"),
    (3130, "icpv2"),
    (3205, "isns"),
    (3493, "nut"),
    (4500, "ipsec-nat-t"),
    (4569, "iax"),
    (5060, "sip"),
    (5061, "sip-tls"),
    (5353, "mdns"),
    (5555, "rplay"),
    (6346, "gnutella-svc"),
    (6347, "gnutella-rtr"),
    (6696, "babel"),
    (7000, "afs3-fileserver"),
    (7001, "afs3-callback"),
    (7002, "afs3-prserver"),
    (7003, "afs3-vlserver"),
    (7004, "afs3-kaserver"),
    (7005, "afs3-volser"),
    (7007, "afs3-bos"),
    (7008, "afs3-update"),
    (7009, "afs3-rmtsys"),
    (17001, "sgi-cmsd"),
    (17002, "sgi-crsd"),
    (17003, "sgi-gcd"),
    (27374, "asp"),
];

/// The keyword of each IP protocol number, where IANA assigns one.
pub(crate) const IP_PROTOCOL_KEYWORDS: [Option<&str>; 256] = [
    Some("hopopt"),          // 0
    Some("icmp"),            // 1
    Some("igmp"),            // 2
    Some("ggp"),             // 3
    Some("ipencap"),         // 4
    Some("st"),              // 5
    Some("tcp"),             // 6
    Some("cbt"),             // 7
    Some("egp"),             // 8
    Some("igp"),             // 9
    Some("bbn-rcc-mon"),     // 10
    Some("nvp-ii"),          // 11
    Some("pup"),             // 12
    Some("argus"),           // 13
    Some("emcon"),           // 14
    Some("xnet"),            // 15
    Some("chaos"),           // 16
    Some("udp"),             // 17
    Some("mux"),             // 18
    Some("dcn-meas"),        // 19
    Some("hmp"),             // 20
    Some("prm"),             // 21
    Some("xns-idp"),         // 22
    Some("trunk-1"),         // 23
    Some("trunk-2"),         // 24
    Some("leaf-1"),          // 25
    Some("leaf-2"),          // 26
    Some("rdp"),             // 27
    Some("irtp"),            // 28
    Some("iso-tp4"),         // 29
    Some("netblt"),          // 30
    Some("mfe-nsp"),         // 31
    Some("merit-inp"),       // 32
    Some("dccp"),            // 33
    Some("3pc"),             // 34
    Some("idpr"),            // 35
    Some("xtp"),             // 36
    Some("ddp"),             // 37
    Some("idpr-cmtp"),       // 38
    Some("tp++"),            // 39
    Some("il"),              // 40
    Some("ipv6"),            // 41
    Some("sdrp"),            // 42
    Some("ipv6-route"),      // 43
    Some("ipv6-frag"),       // 44
    Some("idrp"),            // 45
    Some("rsvp"),            // 46
    Some("gre"),             // 47
    Some("dsr"),             // 48
    Some("bna"),             // 49
    Some("esp"),             // 50
    Some("ah"),              // 51
    Some("i-nlsp"),          // 52
    Some("swipe"),           // 53
    Some("narp"),            // 54
    Some("mobile"),          // 55
    Some("tlsp"),            // 56
    Some("skip"),            // 57
    Some("ipv6-icmp"),       // 58
    Some("ipv6-nonxt"),      // 59
    Some("ipv6-opts"),       // 60
    None,                    // 61
    Some("cftp"),            // 62
    None,                    // 63
    Some("sat-expak"),       // 64
    Some("kryptolan"),       // 65
    Some("rvd"),             // 66
    Some("ippc"),            // 67
    None,                    // 68
    Some("sat-mon"),         // 69
    Some("visa"),            // 70
    Some("ipcv"),            // 71
    Some("cpnx"),            // 72
    Some("rspf"),            // 73
    Some("wsn"),             // 74
    Some("pvp"),             // 75
    Some("br-sat-mon"),      // 76
    Some("sun-nd"),          // 77
    Some("wb-mon"),          // 78
    Some("wb-expak"),        // 79
    Some("iso-ip"),          // 80
    Some("vmtp"),            // 81
    Some("secure-vmtp"),     // 82
    Some("vines"),           // 83
    Some("ttp"),             // 84
    Some("nsfnet-igp"),      // 85
    Some("dgp"),             // 86
    Some("tcf"),             // 87
    Some("eigrp"),           // 88
    Some("ospf"),            // 89
    Some("sprite-rpc"),      // 90
    Some("larp"),            // 91
    Some("mtp"),             // 92
    Some("ax.25"),           // 93
    Some("ipip"),            // 94
    Some("micp"),            // 95
    Some("scc-sp"),          // 96
    Some("etherip"),         // 97
    Some("encap"),           // 98
    None,                    // 99
    Some("gmtp"),            // 100
    Some("ifmp"),            // 101
    Some("pnni"),            // 102
    Some("pim"),             // 103
    Some("aris"),            // 104
    Some("scps"),            // 105
    Some("qnx"),             // 106
    Some("a/n"),             // 107
    Some("ipcomp"),          // 108
    Some("snp"),             // 109
    Some("compaq-peer"),     // 110
    Some("ipx-in-ip"),       // 111
    Some("vrrp"),            // 112
    Some("pgm"),             // 113
    None,                    // 114
    Some("l2tp"),            // 115
    Some("ddx"),             // 116
    Some("iatp"),            // 117
    Some("stp"),             // 118
    Some("srp"),             // 119
    Some("uti"),             // 120
    Some("smp"),             // 121
    Some("sm"),              // 122
    Some("ptp"),             // 123
    Some("isis"),            // 124
    Some("fire"),            // 125
    Some("crtp"),            // 126
    Some("crudp"),           // 127
    Some("sscopmce"),        // 128
    Some("iplt"),            // 129
    Some("sps"),             // 130
    Some("pipe"),            // 131
    Some("sctp"),            // 132
    Some("fc"),              // 133
    Some("rsvp-e2e-ignore"), // 134
    Some("mobility-header"), // 135
    Some("udplite"),         // 136
    Some("mpls-in-ip"),      // 137
    Some("manet"),           // 138
    Some("hip"),             // 139
    Some("shim6"),           // 140
    Some("wesp"),            // 141
    Some("rohc"),            // 142
    None,                    // 143
    None,                    // 144
    None,                    // 145
    None,                    // 146
    None,                    // 147
    None,                    // 148
    None,                    // 149
    None,                    // 150
    None,                    // 151
    None,                    // 152
    None,                    // 153
    None,                    // 154
    None,                    // 155
    None,                    // 156
    None,                    // 157
    None,                    // 158
    None,                    // 159
    None,                    // 160
    None,                    // 161
    None,                    // 162
    None,                    // 163
    None,                    // 164
    None,                    // 165
    None,                    // 166
    None,                    // 167
    None,                    // 168
    None,                    // 169
    None,                    // 170
    None,                    // 171
    None,                    // 172
    None,                    // 173
    None,                    // 174
    None,                    // 175
    None,                    // 176
    None,                    // 177
    None,                    // 178
    None,                    // 179
    None,                    // 180
    None,                    // 181
    None,                    // 182
    None,                    // 183
    None,                    // 184
    None,                    // 185
    None,                    // 186
    None,                    // 187
    None,                    // 188
    None,                    // 189
    None,                    // 190
    None,                    // 191
    None,                    // 192
    None,                    // 193
    None,                    // 194
    None,                    // 195
    None,                    // 196
    None,                    // 197
    None,                    // 198
    None,                    // 199
    None,                    // 200
    None,                    // 201
    None,                    // 202
    None,                    // 203
    None,                    // 204
    None,                    // 205
    None,                    // 206
    None,                    // 207
    None,                    // 208
    None,                    // 209
    None,                    // 210
    None,                    // 211
    None,                    // 212
    None,                    // 213
    None,                    // 214
    None,                    // 215
    None,                    // 216
    None,                    // 217
    None,                    // 218
    None,                    // 219
    None,                    // 220
    None,                    // 221
    None,                    // 222
    None,                    // 223
    None,                    // 224
    None,                    // 225
    None,                    // 226
    None,                    // 227
    None,                    // 228
    None,                    // 229
    None,                    // 230
    None,                    // 231
    None,                    // 232
    None,                    // 233
    None,                    // 234
    None,                    // 235
    None,                    // 236
    None,                    // 237
    None,                    // 238
    None,                    // 239
    None,                    // 240
    None,                    // 241
    None,                    // 242
    None,                    // 243
    None,                    // 244
    None,                    // 245
    None,                    // 246
    None,                    // 247
    None,                    // 248
    None,                    // 249
    None,                    // 250
    None,                    // 251
    None,                    // 252
    Some("exptest-253"),     // 253
    Some("exptest-254"),     // 254
    Some("reserved"),        // 255
];
