-- A server the sender's SPF refuses (demo zone: 203.0.113.66 for example.com), in enforce mode: the first
-- recipient gets the decision table's reply with its enhanced code, and so does the second.
conn = mt.connect("inet:" .. port .. "@127.0.0.1", 10, 0.25)
assert(conn, "mt.connect() failed")
assert(mt.negotiate(conn, nil, nil, nil) == nil, "negotiation failed")
assert(mt.conninfo(conn, "spoofer.example.net", "203.0.113.66") == nil, "connect failed")
assert(mt.helo(conn, "spoofer.example.net") == nil, "helo failed")
assert(mt.mailfrom(conn, "<alice@example.com>") == nil, "mail failed")
assert(mt.rcptto(conn, "<bob@receiver.example>") == nil, "rcpt failed")
assert(mt.getreply(conn) == SMFIR_REPLYCODE, "the first recipient was not refused with a reply code")
assert(mt.rcptto(conn, "<carol@receiver.example>") == nil, "rcpt failed")
assert(mt.getreply(conn) == SMFIR_REPLYCODE, "the second recipient was not refused with a reply code")
mt.disconnect(conn)
