namespace Vouch.Reputation;

/// <summary>
/// The one Lua script the Redis store runs for every change and read of a subject, atomically on the server. Every key
/// it touches carries the subject's hash tag, so they share one slot (Redis Cluster too); the reporter buckets are
/// named from KEYS[1]'s stem. It mirrors <see cref="ReputationLedger"/> and <see cref="ReputationModel"/>: decay from
/// the stored time, the cap, the dedupe gate, the Wilson bound and the state table with hysteresis.
/// </summary>
internal static class RedisReputationScript
{
    /// <summary>Positions in ARGV (1-based, as Lua sees them) before the rows.</summary>
    public const int FixedArguments = 18;

    /// <summary>
    /// KEYS: 1 counters (HASH s|h|d|t|x|l per row), 2 states (HASH state|since|reason|pinned|cap per row, and npinned),
    /// 3 event times (ZSET), 4 events (HASH of JSON), 5 the dedupe gate, 6 the reporter's cap of the day.
    /// ARGV: mode, now (ms), half-life (ms), reporter window (ms), bucket (ms), ten thresholds, counter TTL (s), state TTL (s),
    /// the number of rows, then per row: "via|sender", share, capped ("1", "0", or "-" for the stored flag); then the mode's own.
    /// Returns { code, units, row... }, each row { suffix, S, H, D, t, R, trusted, state, since, pinned, reason, last, changed }.
    /// </summary>
    public const string Text = """
        local mode = ARGV[1]
        local now = tonumber(ARGV[2])
        local half = tonumber(ARGV[3])
        local window = tonumber(ARGV[4])
        local bucketMs = tonumber(ARGV[5])
        local th = {}
        for i = 1, 10 do th[i] = tonumber(ARGV[5 + i]) end
        local counterTtl = ARGV[16]
        local stateTtl = ARGV[17]
        local nrows = tonumber(ARGV[18])
        local rows = {}
        for i = 1, nrows do
          local o = 18 + (i - 1) * 3
          rows[i] = { sfx = ARGV[o + 1], share = tonumber(ARGV[o + 2]), capflag = ARGV[o + 3] }
        end
        local extra = 18 + nrows * 3
        local ckey, stkey = KEYS[1], KEYS[2]
        local base = string.sub(ckey, 1, -2)

        local function fmt(x) return string.format('%.17g', x) end
        local function num(v) if v then return tonumber(v) end return nil end
        local function factor(elapsed) if elapsed <= 0 or half <= 0 then return 1 end return 2 ^ (-elapsed / half) end

        local function load(r)
          local s = r.sfx
          local v = redis.call('HMGET', ckey, 's|' .. s, 'h|' .. s, 'd|' .. s, 't|' .. s, 'x|' .. s, 'l|' .. s)
          r.s = num(v[1]) or 0; r.h = num(v[2]) or 0; r.d = num(v[3]) or 0
          r.t = num(v[4]); r.x = num(v[5]); r.l = num(v[6])
          local w = redis.call('HMGET', stkey, 'state|' .. s, 'since|' .. s, 'reason|' .. s, 'pinned|' .. s, 'cap|' .. s)
          r.state = num(w[1]); r.since = num(w[2]); r.reason = w[3] or ''; r.pinned = (w[4] == '1')
          r.exists = (r.t ~= nil) or (r.state ~= nil)
          if r.t == nil then r.t = now end
          if r.state == nil then r.state = 0; r.since = now end
          if r.capflag == nil or r.capflag == '-' then r.capped = (w[5] == '1') else r.capped = (r.capflag == '1') end
          r.changed = false
        end

        local function decay(r, at)
          if at > r.t then
            local f = factor(at - r.t)
            r.s = r.s * f; r.h = r.h * f; r.d = r.d * f; r.t = at
          end
        end

        local function reporters(r, at)
          local first = math.floor((at - window) / bucketMs)
          local last = math.floor(at / bucketMs)
          local keys = {}
          for b = first, last do keys[#keys + 1] = base .. 'r:' .. r.sfx .. ':' .. string.format('%d', b) end
          r.R = redis.call('PFCOUNT', unpack(keys))
          r.trusted = (r.x ~= nil) and r.x >= first * bucketMs and r.x < (last + 1) * bucketMs
        end

        local function wilson(p, n)
          if n <= 0 then return 0 end
          if p < 0 then p = 0 elseif p > 1 then p = 1 end
          local z = 1.96
          local z2 = z * z
          local centre = p + z2 / (2 * n)
          local spread = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
          local lb = (centre - spread) / (1 + z2 / n)
          if lb < 0 then return 0 end
          return lb
        end

        local function bound(r)
          local n = math.max(r.d, r.s + r.h)
          if n <= 0 then return 0 end
          return wilson(math.max(0, r.s - r.h) / n, n)
        end

        local function nextState(r)
          -- The same tolerance as ReputationModel.UnitTolerance: five reports a minute apart are five.
          local spam, lb, prev = r.s + 0.01, bound(r), r.state
          if not r.capped then
            if prev == 2 and spam >= th[4] and lb >= th[5] then return 2 end
            if spam >= th[1] and r.R >= th[2] and lb >= th[3] and r.trusted then return 2 end
          end
          if prev ~= 0 and spam >= th[9] and lb >= th[10] then return 1 end
          if spam >= th[6] and r.R >= th[7] and lb >= th[8] then return 1 end
          return 0
        end

        local function numbers(r)
          local lb = string.format('%.2f', bound(r) * 100)
          if string.sub(lb, -1) == '0' then lb = string.sub(lb, 1, -2) end
          return string.format('S=%.1f H=%.1f D=%.1f R=%d LB=', r.s, r.h, r.d, r.R) .. lb .. '%'
        end

        local function judge(r, at)
          reporters(r, at)
          if not r.pinned then
            local n = nextState(r)
            if n ~= r.state then r.state = n; r.since = at; r.reason = numbers(r); r.changed = true end
          end
        end

        local function refresh()
          redis.call('EXPIRE', ckey, counterTtl)
          if (tonumber(redis.call('HGET', stkey, 'npinned') or '0') or 0) > 0 then
            redis.call('PERSIST', stkey)
          else
            redis.call('EXPIRE', stkey, stateTtl)
          end
        end

        local function saveState(r)
          local s = r.sfx
          redis.call('HSET', stkey, 'state|' .. s, r.state, 'since|' .. s, fmt(r.since), 'reason|' .. s, r.reason,
            'pinned|' .. s, r.pinned and '1' or '0', 'cap|' .. s, r.capped and '1' or '0')
        end

        local function save(r)
          local s = r.sfx
          redis.call('HSET', ckey, 's|' .. s, fmt(r.s), 'h|' .. s, fmt(r.h), 'd|' .. s, fmt(r.d), 't|' .. s, fmt(r.t))
          if r.x then redis.call('HSET', ckey, 'x|' .. s, fmt(r.x)) end
          if r.l then redis.call('HSET', ckey, 'l|' .. s, fmt(r.l)) end
          saveState(r)
        end

        local function out(r)
          return { r.sfx, fmt(r.s), fmt(r.h), fmt(r.d), fmt(r.t), tostring(r.R), r.trusted and '1' or '0', tostring(r.state),
            fmt(r.since), r.pinned and '1' or '0', r.reason, r.l and fmt(r.l) or '', r.changed and '1' or '0' }
        end

        if mode == 'report' then
          local kind, weight, cap = ARGV[extra + 1], tonumber(ARGV[extra + 2]), tonumber(ARGV[extra + 3])
          local capTtl, gateTtl, retentionS = ARGV[extra + 4], ARGV[extra + 5], ARGV[extra + 6]
          local ticket, reporter, source = ARGV[extra + 7], ARGV[extra + 8], tonumber(ARGV[extra + 9])
          local trusted = ARGV[extra + 10] == '1'
          local method, client = ARGV[extra + 11], ARGV[extra + 12]
          local retention, hllTtl = tonumber(ARGV[extra + 13]), ARGV[extra + 14]
          local evkey, evdkey, gatekey, capkey = KEYS[3], KEYS[4], KEYS[5], KEYS[6]
          local member = ticket .. '\n' .. reporter
          local gate = redis.call('GET', gatekey)
          if gate then
            if kind ~= 'h' or gate ~= 's' then return { 'duplicate', '0' } end
            local data = redis.call('HGET', evdkey, member)
            if not data then return { 'duplicate', '0' } end
            local ev = cjson.decode(data)
            redis.call('SET', gatekey, 'c', 'KEEPTTL')
            local result = { 'cancelled', '0' }
            local firstUnits = nil
            for i, er in ipairs(ev.rows) do
              local r = { sfx = er[1], capflag = '-' }
              load(r); decay(r, now)
              local w = er[2] * factor(now - ev.at)
              r.s = math.max(0, r.s - w)
              er[2] = 0
              judge(r, now); save(r)
              if firstUnits == nil or er[1] == rows[1].sfx then firstUnits = w end
              result[#result + 1] = out(r)
            end
            ev.cancelled = true
            redis.call('HSET', evdkey, member, cjson.encode(ev))
            result[2] = fmt(firstUnits or 0)
            refresh()
            return result
          end
          local used = tonumber(redis.call('GET', capkey) or '0') or 0
          local left = cap - used
          if left <= 1e-9 then return { 'over_cap', '0' } end
          local units = math.min(weight, left)
          redis.call('INCRBYFLOAT', capkey, fmt(units))
          redis.call('EXPIRE', capkey, capTtl)
          redis.call('SET', gatekey, kind, 'NX', 'EX', gateTtl)
          local ev = { kind = kind, source = source, method = method, client = client, at = now, cancelled = false, rows = {} }
          local result = { 'counted', fmt(units) }
          for i, r in ipairs(rows) do
            load(r); decay(r, now)
            local u = units * r.share
            if kind == 's' then r.s = r.s + u else r.h = r.h + u end
            if r.l == nil or now > r.l then r.l = now end
            if kind == 's' then
              local hll = base .. 'r:' .. r.sfx .. ':' .. string.format('%d', math.floor(now / bucketMs))
              redis.call('PFADD', hll, reporter)
              redis.call('EXPIRE', hll, hllTtl)
              if trusted and (r.x == nil or now > r.x) then r.x = now end
            end
            judge(r, now); save(r)
            ev.rows[i] = { r.sfx, u }
            result[#result + 1] = out(r)
          end
          redis.call('ZADD', evkey, now, member)
          redis.call('HSET', evdkey, member, cjson.encode(ev))
          local old = redis.call('ZRANGEBYSCORE', evkey, '-inf', '(' .. fmt(now - retention), 'LIMIT', 0, 100)
          if #old > 0 then
            redis.call('HDEL', evdkey, unpack(old))
            redis.call('ZREM', evkey, unpack(old))
          end
          redis.call('EXPIRE', evkey, retentionS)
          redis.call('EXPIRE', evdkey, retentionS)
          refresh()
          return result
        end

        if mode == 'deliver' then
          local recipients = tonumber(ARGV[extra + 1])
          local result = { 'ok', '0' }
          for i, r in ipairs(rows) do
            load(r); decay(r, now)
            r.d = r.d + recipients * r.share
            judge(r, now); save(r)
            result[#result + 1] = out(r)
          end
          refresh()
          return result
        end

        if mode == 'pin' then
          local state, pin, reason = tonumber(ARGV[extra + 1]), ARGV[extra + 2] == '1', ARGV[extra + 3]
          local r = rows[1]
          load(r); decay(r, now)
          if pin then
            if r.state ~= state then r.state = state; r.since = now; r.changed = true end
            r.pinned = true; r.reason = reason
            reporters(r, now)
          else
            r.pinned = false
            judge(r, now)
          end
          saveState(r)
          local all = redis.call('HGETALL', stkey)
          local pins = 0
          for i = 1, #all, 2 do
            if string.sub(all[i], 1, 7) == 'pinned|' and all[i + 1] == '1' then pins = pins + 1 end
          end
          redis.call('HSET', stkey, 'npinned', pins)
          refresh()
          return { 'ok', '0', out(r) }
        end

        -- 'judge' re-judges the named rows at now and saves a changed state; 'read' reads every row of the subject.
        if mode == 'read' then
          local seen = {}
          rows = {}
          for _, f in ipairs(redis.call('HKEYS', ckey)) do
            if string.sub(f, 1, 2) == 't|' then local s = string.sub(f, 3); if not seen[s] then seen[s] = true; rows[#rows + 1] = { sfx = s, capflag = '-' } end end
          end
          for _, f in ipairs(redis.call('HKEYS', stkey)) do
            if string.sub(f, 1, 6) == 'state|' then local s = string.sub(f, 7); if not seen[s] then seen[s] = true; rows[#rows + 1] = { sfx = s, capflag = '-' } end end
          end
        end
        local result = { 'ok', '0' }
        for i, r in ipairs(rows) do
          load(r)
          if r.exists then
            decay(r, now)
            if mode == 'judge' then
              judge(r, now)
              if r.changed then saveState(r) end
            else
              reporters(r, now)
            end
            result[#result + 1] = out(r)
          end
        end
        return result
        """;
}
