# Templates rendered by Helm's Go engine; each becomes one oracle case. Values are under .Values
# (see VALUES in generate_sprig_cases.py). Only deterministic functions belong here; the
# nondeterministic ones (now, rand*, uuidv4, genPrivateKey, shuffle, encryptAES) are tested for
# shape in the Swift tests.
WORDS = ["FirstName", "HTTPServer", "firstName", "some-thing", "foo bar", "foo_bar", "Bld4Floor",
         "HTTP2xx", "ABC", "aB", "a1b2", "_complex__case_", "Hello World!", "x-Y_z", "fooBAR", "iOS",
         "ID", "userID42", "http_server", "a.b.c", "", "--a--", "foo__bar", "Foo  Bar", "ümlautÜber"]

CASES = [
    # strings
    '{{ "hello" | upper }} {{ "HeLLo" | lower }} {{ "hello world-wide_x" | title }} {{ "Hello World" | untitle }}',
    '{{ "  x y \\n\\t" | trim }}|{{ trimAll "$" "$$5.00$" }}|{{ trimSuffix "-" "hello-" }}|{{ trimPrefix "-" "-hello" }}|{{ trimall "ab" "abxba" }}',
    '{{ trunc 5 "hello world" }}|{{ trunc -5 "hello world" }}|{{ trunc 50 "hi" }}|{{ trunc -50 "hi" }}|{{ trunc 0 "hi" }}',
    '{{ abbrev 5 "hello world" }}|{{ abbrev 3 "hello" }}|{{ abbrev 20 "short" }}|{{ abbrevboth 5 10 "1234 5678 9123" }}|{{ abbrevboth 0 4 "abcdefg" }}|{{ abbrevboth 1 6 "abcdefghij" }}',
    '{{ substr 0 5 "hello world" }}|{{ substr 6 -1 "hello world" }}|{{ substr -1 3 "hello" }}|{{ substr 2 99 "hello" }}',
    '{{ substr 4 2 "hello" }}',
    '{{ substr 9 20 "hello" }}',
    '{{ repeat 3 "ab" }}|{{ repeat 0 "x" }}',
    '{{ repeat -1 "x" }}',
    '{{ nospace "h e\\tl\\nl o" }} {{ initials "hello big world" }} {{ swapcase "This Is A.Test" }}',
    '{{ "I Am Henry VIII" | initials }}',
    '{{ wrap 5 "Hello world, this is a long text" }}',
    '{{ wrapWith 5 "\\t" "Hello World" }}|{{ wrapWith 3 "|" "abcdefgh ij" }}|{{ wrap 10 "averyveryverylongword and more" }}',
    '{{ contains "cat" "catch" }} {{ contains "dog" "catch" }} {{ hasPrefix "ca" "catch" }} {{ hasSuffix "ch" "catch" }} {{ hasSuffix "x" "catch" }} {{ contains "" "a" }}',
    '{{ quote "a" 1 .Values.f nil .Values.n true }}|{{ squote "a" 2 nil }}|{{ quote }}|{{ quote "with \\"quotes\\" and \\\\ and \\n ☃ \\x01" }}',
    '{{ .Values.missing | quote }}|{{ .Values.list | quote }}|{{ .Values.m.b | squote }}',
    '{{ cat "hello" "beautiful" 3 nil "world" .Values.f }}|{{ cat }}|{{ cat nil }}',
    '{{ indent 4 "a\\nb\\n" }}|{{ nindent 2 "x\\ny" }}|{{ indent 0 "z" }}',
    '{{ indent -1 "x" }}',
    '{{ replace " " "-" "I Am Henry VIII" }}|{{ replace "" "x" "ab" }}|{{ "aaa" | replace "a" "bb" }}',
    '{{ plural "one anchovy" "many anchovies" 1 }} {{ plural "one" "many" 2 }} {{ plural "one" "many" 0 }}',
    '{{ toString 1 }} {{ toString .Values.f }} {{ toString .Values.big }} {{ toString .Values.tiny }} {{ toString nil }} {{ toString true }} {{ toString .Values.list }} {{ toString .Values.m }} {{ toString "s" }} {{ toString .Values.mixed }}',
    '{{ $x := split "$" "foo$bar$baz" }}{{ $x._0 }} {{ $x._1 }} {{ $x._2 }} {{ len $x }}',
    '{{ splitList "$" "foo$bar$baz" }} {{ splitList "," "" }} {{ splitList "" "abc" }} {{ len (splitList "," "a,,b,") }}',
    '{{ $x := splitn "$" 2 "foo$bar$baz" }}{{ $x._0 }} {{ $x._1 }} {{ len $x }}|{{ len (splitn "," 0 "a,b") }}|{{ (splitn "," -1 "a,b,c")._2 }}',
    '{{ join "-" .Values.strs }} {{ join "," .Values.mixed }} {{ join "," "single" }} {{ join "," nil }}|{{ join "," (list 1 2 nil 3) }}',
    '{{ toStrings .Values.list }} {{ toStrings "x" }} {{ len (toStrings nil) }} {{ toStrings (list 1 nil "a") }}',
    '{{ sortAlpha .Values.strs }} {{ sortAlpha (list "b" 10 2 "B" "a") }} {{ sortAlpha "x" }} {{ sortAlpha 3 }}',
    '{{ hello }}',
    '{{ upper .Values.f }}',
    '{{ upper .Values.n }}',
    '{{ trunc .Values.f "abc" }}',
    '{{ trunc .Values.s "abc" }}',
    '{{ regexMatch "^[a-z]+\\\\d$" "abc1" }} {{ regexMatch "(" "x" }}',
    # case conversions
] + [
    '{{ %s | snakecase }}|{{ %s | kebabcase }}|{{ %s | camelcase }}|{{ %s | swapcase }}|{{ %s | title }}|{{ %s | untitle }}|{{ %s | initials }}'
    % ((('"%s"' % w),) * 7) for w in WORDS
] + [
    # conversions
    '{{ int "12abc" }} {{ int "0x1F" }} {{ int "12.0" }} {{ int "12.5" }} {{ int64 .Values.f }} {{ int .Values.neg }} {{ int true }} {{ int "012" }} {{ int "1_000" }} {{ int "0b101" }} {{ int "0o17" }} {{ int nil }} {{ int "-42" }} {{ int "+7" }} {{ int " 1" }} {{ int "99999999999999999999" }}',
    '{{ float64 "1.5" }} {{ float64 "1.5x" }} {{ float64 3 }} {{ float64 true }} {{ float64 "1e3" }} {{ float64 nil }} {{ float64 .Values.f }} {{ float64 "-0.25" }}',
    '{{ atoi "42" }} {{ atoi "x" }} {{ atoi "-3" }} {{ atoi "1.5" }} {{ atoi "" }}',
    '{{ atoi .Values.f }}',
    '{{ toDecimal "0777" }} {{ toDecimal "777" }} {{ toDecimal 10 }} {{ toDecimal "9" }} {{ toDecimal "x" }}',
    '{{ int64 "0x" }} {{ int "1__0" }} {{ int "_1" }} {{ int "0x_1F" }}',
    '{{ typeOf (int 1) }} {{ typeOf (addf 1 2) }} {{ typeOf .Values.list }} {{ typeOf nil }} {{ typeOf "s" }} {{ typeOf .Values.m }} {{ typeOf true }} {{ typeOf .Values.f }}',
    '{{ kindOf nil }} {{ kindOf 1 }} {{ kindOf .Values.list }} {{ kindOf .Values.m }} {{ kindOf "s" }} {{ kindOf .Values.f }} {{ kindOf true }}',
    '{{ typeIs "string" "x" }} {{ typeIs "int" .Values.f }} {{ typeIsLike "float64" .Values.f }} {{ kindIs "map" .Values.m }} {{ kindIs "slice" .Values.list }} {{ kindIs "invalid" nil }}',
    '{{ deepEqual .Values.list (list 1 2 3) }} {{ deepEqual (list 1 2) (list 1 2) }} {{ deepEqual .Values.m .Values.m }} {{ deepEqual 1 1 }} {{ deepEqual "a" "a" }} {{ deepEqual nil nil }} {{ deepEqual (dict "a" 1) (dict "a" 1) }}',
    # defaults and flow
    '{{ default "foo" .Values.missing }} {{ default "foo" .Values.s }} {{ .Values.empty | default "d" }} {{ .Values.zero | default 5 }} {{ .Values.no | default true }} {{ .Values.emptylist | default "L" }} {{ .Values.emptymap | default "M" }} {{ default "x" }} {{ .Values.f | default 1 }} {{ .Values.t | default false }}',
    '{{ empty .Values.missing }} {{ empty "" }} {{ empty 0 }} {{ empty .Values.zero }} {{ empty .Values.no }} {{ empty .Values.emptylist }} {{ empty .Values.emptymap }} {{ empty .Values.s }} {{ empty .Values.list }} {{ empty 0.0 }} {{ empty .Values.f }}',
    '{{ coalesce .Values.missing "" 0 "first" "second" }} {{ coalesce .Values.n .Values.empty }} {{ coalesce }} {{ coalesce .Values.m.e .Values.m.a }}',
    '{{ all 1 "a" true }} {{ all 1 "" true }} {{ all }} {{ any 0 "" nil }} {{ any 0 "x" }} {{ any }}',
    '{{ ternary "yes" "no" true }} {{ ternary "yes" "no" false }} {{ true | ternary "a" "b" }} {{ ternary 1 2 (eq 1 1) }}',
    '{{ ternary "a" "b" .Values.s }}',
    '{{ ternary "a" "b" .Values.n }}',
    '{{ fail "something broke" }}',
    '{{ $d := deepCopy .Values.m }}{{ $d.b.c }} {{ deepCopy .Values.list }} {{ mustDeepCopy "s" }}',
    # lists
    '{{ list 1 "a" nil 2.5 }} {{ tuple 1 2 }} {{ list }} {{ len (list nil) }}',
    '{{ first .Values.list }} {{ last .Values.list }} {{ rest .Values.list }} {{ initial .Values.list }} {{ first .Values.emptylist }} {{ rest .Values.emptylist }} {{ initial .Values.emptylist }} {{ last .Values.emptylist }}',
    '{{ append .Values.list 4 }} {{ push .Values.list "x" }} {{ prepend .Values.list 0 }} {{ .Values.list }} {{ mustAppend .Values.emptylist 1 }} {{ mustPrepend (list) 1 }}',
    '{{ reverse .Values.list }} {{ reverse .Values.emptylist }} {{ uniq .Values.strs }} {{ uniq (list 1 1 "1" 1.0 nil nil) }} {{ without .Values.strs "a" }} {{ without .Values.list 1 3 }}',
    '{{ has 2 (list 1 2) }} {{ has 4 .Values.list }} {{ has 1.0 .Values.list }} {{ has "a" .Values.strs }} {{ has "x" nil }} {{ mustHas 1 (list 1) }}',
    '{{ compact (list 1 0 "" nil "a" false (list) (dict)) }} {{ mustCompact .Values.mixed }}',
    '{{ slice .Values.list 1 }} {{ slice .Values.list 1 2 }} {{ slice .Values.list }} {{ slice .Values.list "1" 3.0 }} {{ mustSlice (list 1 2 3) 0 0 }}',
    '{{ slice .Values.list 2 9 }}',
    '{{ slice "abc" 1 }}',
    '{{ concat .Values.list (list 4 5) .Values.emptylist }} {{ concat }}',
    '{{ concat .Values.list "x" }}',
    '{{ chunk 2 (list 1 2 3 4 5) }} {{ chunk 3 .Values.emptylist }} {{ chunk 5 .Values.list }}',
    '{{ first "abc" }}',
    '{{ first nil }}',
    '{{ append "x" 1 }}',
    '{{ prepend 5 1 }}',
    '{{ last .Values.m }}',
    '{{ rest 1 }}{{ initial 2 }}',
    '{{ reverse "x" }}',
    '{{ uniq 1 }}',
    '{{ without "s" 1 }}',
    '{{ compact "x" }}',
    '{{ chunk 2 "x" }}',
    '{{ until 5 }} {{ until 0 }} {{ until -3 }} {{ untilStep 3 6 2 }} {{ untilStep 0 -6 -2 }} {{ untilStep 0 10 -1 }} {{ untilStep 5 1 1 }}',
    '{{ seq 5 }}|{{ seq -3 }}|{{ seq 0 }}|{{ seq 2 5 }}|{{ seq 5 2 }}|{{ seq 0 2 10 }}|{{ seq 10 -2 0 }}|{{ seq 0 -2 10 }}|{{ seq 10 2 0 }}|{{ seq }}|{{ seq 1 2 3 4 }}',
    '{{ range $i := until 3 }}{{ $i }},{{ end }}',
    # dicts
    '{{ $d := dict "a" 1 "b" "two" }}{{ $d.a }} {{ $d.b }} {{ len $d }} {{ dict }} {{ dict "x" }} {{ dict 1 2 nil 3 true 4 }}',
    '{{ get .Values.m "a" }} {{ get .Values.m "zz" | quote }} {{ get .Values.m "b" }}',
    '{{ $d := set (dict "a" 1) "b" 2 }}{{ $d }} {{ unset $d "a" }} {{ hasKey .Values.m "a" }} {{ hasKey .Values.m "zz" }} {{ hasKey .Values.m "g" }}',
    '{{ pluck "a" .Values.m .Values.m2 (dict "x" 1) }} {{ pluck "zz" .Values.m }}',
    '{{ keys .Values.m | sortAlpha }} {{ keys .Values.m .Values.m2 | sortAlpha }} {{ keys | len }}',
    '{{ values .Values.m2 | len }} {{ pick .Values.m "a" "e" "zz" }} {{ omit .Values.m "b" "g" }}',
    '{{ dig "b" "c" "def" .Values.m }} {{ dig "b" "zz" "def" .Values.m }} {{ dig "zz" "x" "def" .Values.m }} {{ dig "a" 0 .Values.m }}',
    '{{ dig "a" "x" "def" .Values.m }}',
    '{{ dig "a" .Values.m }}',
    '{{ merge (dict "a" 1 "e" "" "f" false "g" nil "n" (dict "x" 1 "y" "")) .Values.m2 (dict "z" 26 "n" (dict "y" "Y" "w" 0)) | toJson }}',
    '{{ mergeOverwrite (dict "a" 1 "e" "keep" "f" true "n" (dict "x" 1 "y" "")) .Values.m2 (dict "e" "" "f" false "n" (dict "y" "Y" "x" nil)) | toJson }}',
    '{{ merge (dict "l" (list 1) "s" "x" "m" (dict "k" 1)) (dict "l" (list 2 3) "s" (dict "a" 1) "m" "str") | toJson }}',
    '{{ mergeOverwrite (dict "l" (list 1) "s" "x" "m" (dict "k" 1) "e" (list 5)) (dict "l" (list 2 3) "s" (dict "a" 1) "m" "str" "e" (list)) | toJson }}',
    '{{ merge (dict "l" (list) "m" (dict)) (dict "l" (list 2) "m" (dict "k" 1)) | toJson }} {{ mustMerge (dict) .Values.m | toJson }} {{ mustMergeOverwrite (dict "a" 0) (dict "a" 5) | toJson }}',
    '{{ merge (dict "a" 1) .Values.s }}',
    '{{ get .Values.list "a" }}',
    # math
    '{{ add 1 2 3 }} {{ add 1 "2" 3.9 }} {{ add }} {{ add1 5 }} {{ add1 .Values.f }} {{ sub 10 .Values.f }} {{ mul 2 3 4 }} {{ mul 5 }} {{ div 7 2 }} {{ div -7 2 }} {{ mod 7 3 }} {{ mod -7 3 }}',
    '{{ max 1 5 3 }} {{ max "7" 2 }} {{ min 4 2 9 }} {{ min .Values.neg 0 }} {{ biggest 1 2 }} {{ maxf 1.5 2 .Values.f }} {{ minf 1.5 -2 }} {{ maxf 1 }}',
    '{{ addf 0.1 0.2 }} {{ addf 1 "2.5" }} {{ add1f 1.5 }} {{ subf 1.0 0.9 }} {{ subf 10 1 2 }} {{ mulf 1.1 3 }} {{ mulf 2 }} {{ divf 1 3 }} {{ divf 10 4 }} {{ divf 2 3 }} {{ addf }}',
    '{{ ceil 1.2 }} {{ ceil -1.2 }} {{ floor 1.8 }} {{ floor "3.9" }} {{ round 3.14159 2 }} {{ round 2.5 0 }} {{ round -2.5 0 }} {{ round 1.2345 3 0.4 }} {{ round 10 -1 }} {{ round 123.456 1 }}',
    '{{ div 1 0 }}',
    '{{ mod 1 0 }}',
    '{{ divf 1 0 }}',
    '{{ add 1 .Values.big }} {{ int .Values.big }}',
    # encoding and hashes
    '{{ b64enc "hello world" }} {{ b64dec "aGVsbG8gd29ybGQ=" }} {{ b64enc "" }} {{ b64dec "aGk" }}|{{ b64dec "a!b" }}|{{ b64dec "aGk=x" }}|{{ b64dec "aG\\nk=" }}',
    '{{ b32enc "hello world" }} {{ b32dec "NBSWY3DPEB3W64TMMQ======" }} {{ b32enc "a" }} {{ b32enc "abcde" }} {{ b32dec "ME======" }}|{{ b32dec "M" }}|{{ b32dec "ME=====" }}',
    '{{ sha1sum "hello" }} {{ sha256sum "hello" }} {{ adler32sum "hello" }} {{ adler32sum "" }}',
    '{{ sha512sum "hello" }}',
    # regex
    '{{ regexMatch "^[a-z]+[0-9]$" "abc1" }} {{ regexMatch "^x" "abc" }} {{ regexMatch "c$" "abc\\n" }} {{ regexMatch "(?m)c$" "abc\\nd" }}',
    '{{ regexFindAll "[2,4,6,8]" "123456789" -1 }} {{ regexFindAll "[2,4,6,8]" "123456789" 2 }} {{ regexFindAll "a*" "baaac" -1 }} {{ regexFindAll "x" "abc" -1 }} {{ len (regexFindAll "x" "x" 0) }}',
    '{{ regexFind "[a-zA-Z][1-9]" "abcd1234" }}|{{ regexFind "z" "abc" }}|{{ regexFind "é+" "héé!" }}',
    '{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W" }} {{ regexReplaceAll "a(x*)b" "-ab-axxb-" "$1W" }} {{ regexReplaceAll "a(?P<x>x*)b" "-ab-axxb-" "[$x]" }} {{ regexReplaceAll "a" "aaa" "$$" }} {{ regexReplaceAll "b*" "abc" "-" }} {{ regexReplaceAll "a(x*)b" "-axb-" "$2|$" }}',
    '{{ regexReplaceAllLiteral "a(x*)b" "-ab-axxb-" "${1}" }} {{ regexReplaceAll "[0-9]+" "a1b22c333" "#" }}',
    '{{ regexSplit "z+" "pizza" -1 }} {{ regexSplit "z+" "pizza" 1 }} {{ regexSplit "" "abc" -1 }} {{ regexSplit "," "a,b,c" 2 }} {{ len (regexSplit "x" "" -1) }} {{ regexSplit "a" "banana" -1 }} {{ len (regexSplit "a" "a" 0) }}',
    '{{ regexQuoteMeta "1.2.3+[x]*?(a|b){2}^$\\\\" }}',
    '{{ regexFind "(" "x" }}',
    '{{ mustRegexMatch "[a-" "x" }}',
    '{{ mustRegexMatch "^[a-z]+$" "abc" }} {{ mustRegexFind "b+" "abbbc" }} {{ mustRegexFindAll "b" "abbbc" 2 }} {{ mustRegexReplaceAll "b" "abc" "X" }} {{ mustRegexReplaceAllLiteral "b" "abc" "$0" }} {{ mustRegexSplit "b" "abc" -1 }}',
    # json
    '{{ toJson .Values.m }} {{ toJson .Values.list }} {{ toJson "s" }} {{ toJson nil }} {{ toJson .Values.html }} {{ toJson .Values.big }} {{ toJson .Values.tiny }} {{ toJson .Values.f }} {{ toJson (list 1 2.5 true) }} {{ toJson (dict) }} {{ toJson .Values.emptylist }}',
    '{{ toRawJson .Values.html }} {{ toRawJson .Values.m }} {{ mustToRawJson (dict "a" "<x>") }}',
    '{{ toPrettyJson .Values.m }}\n{{ toPrettyJson .Values.emptylist }} {{ toPrettyJson (list 1 (dict "a" (list))) }} {{ mustToPrettyJson "x" }}',
    '{{ toJson 1e-7 }} {{ toJson 123456789.0 }} {{ toJson 1e20 }} {{ toJson 0.000001 }} {{ toJson -0.0 }} {{ toJson 1.5e300 }} {{ mustToJson 0.1 }}',
    '{{ $x := fromJson "{\\"a\\": [1, 2.5, \\"s\\", null, true], \\"b\\": {\\"c\\": \\"\\\\u00e9\\\\n\\"}}" }}{{ $x.a }} {{ $x.b.c }} {{ typeOf (index $x.a 0) }} {{ toJson $x }}',
    '{{ mustFromJson "nope" }}',
    '{{ mustFromJson "{\\"a\\":" }}',
    '{{ mustFromJson "[1 2]" }}',
    '{{ mustFromJson "{\\"a\\" 1}" }}',
    '{{ mustFromJson "{\\"a\\": 1} x" }}',
    # paths and urls
    '{{ base "/a/b/c.txt" }} {{ base "a/b/" }} {{ base "" }} {{ base "/" }} {{ dir "/a/b/c" }} {{ dir "a" }} {{ dir "/" }} {{ dir "" }} {{ clean "a//b/../c/./d/" }} {{ clean "/../a" }} {{ clean "../../x" }} {{ clean "" }} {{ ext "a/b.tar.gz" }} {{ ext "a.b/c" }} {{ isAbs "/a" }} {{ isAbs "a" }}',
    '{{ osBase "/a/b" }} {{ osDir "/a/b" }} {{ osClean "/a/../b" }} {{ osExt "x.y" }} {{ osIsAbs "/x" }}',
    '{{ $u := urlParse "https://user:pa%20ss@example.com:8443/a/b%20c?x=1&y=2#frag%20x" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.fragment }}|{{ $u.userinfo }}|{{ $u.opaque }}',
    '{{ $u := urlParse "mailto:joe@example.com" }}{{ $u.scheme }}|{{ $u.opaque }}|{{ $u.path }}|{{ urlParse "/rel/path?q" | toJson }}|{{ (urlParse "http://[::1]:80/").hostname }}',
    '{{ urlJoin (dict "scheme" "https" "host" "example.com:8443" "path" "/a b" "query" "x=1" "fragment" "f g" "userinfo" "u:p%20w") }} {{ urlJoin (dict "host" "h" "path" "p") }} {{ urlJoin (dict "path" "a:b") }} {{ urlJoin (dict "scheme" "mailto" "opaque" "x@y") }} {{ urlJoin (dict) }}',
    '{{ urlParse "http://a b.com/%zz" }}',
    '{{ urlJoin (dict "host" "h" "userinfo" "u:p w") }}',
    '{{ urlJoin (dict "host" 1) }}',
    '{{ urlquery "a b&c" }}',
]

SEMVER = [
    ("~1", "1.5.0"), ("~1", "2.0.0"), ("~1.2", "1.2.9"), ("~1.2", "1.3.0"), ("^1", "1.9.9"), ("1", "1.2.3"),
    ("1.2", "1.2.3"), ("=1", "1.0.0"), ("!=1.2", "1.2.5"), (">1", "1.5.0"), (">1.2", "1.2.5"), ("<=1", "1.9.0"),
    ("<=1.2", "1.2.9"), ("~0", "0.9.0"), ("^0", "0.9.0"), ("^0.0", "0.0.5"), ("^0.0", "0.1.0"),
    (">=1.2 <2 || >=3", "3.1.0"), (">=1.2, <2", "2.0.0"), ("1.1 - 1.3", "1.3.0"), ("1.1 - 1.3", "1.3.5"),
    ("*", "1.0.0-alpha"), ("1.x", "1.9.0"), ("1.2.X", "1.2.7"), (">=1.19-0", "v1.27.3-gke.100"),
    (">=1.19", "v1.27.3-gke.100"), (">=1.2.3-alpha", "1.2.3-beta"), ("<1.2.3-beta", "1.2.3-alpha.10"),
    ("1.2.3-alpha.2 - 1.2.3-alpha.10", "1.2.3-alpha.5"), (">= 1.2 <= 1.3", "1.3.5"), ("^1.2.3", "1.9.0"),
    ("^1.2.3", "2.0.0"), ("^0.2.3", "0.2.9"), ("^0.2.3", "0.3.0"), ("^0.0.3", "0.0.4"), ("~1.2.3", "1.2.9"),
    ("~1.2.3", "1.3.0"), (">1.2.3", "1.2.4-0"), ("1.2.3+b", "1.2.3"), ("<2.x", "1.9.0"), (">=1.x", "1.0.0"),
    ("!=1.2.3", "1.2.4"), ("> 1.2 || < 1.0 ,>0.5", "0.7.0"), ("x", "3.0.0"), ("v1.2", "1.2.0"),
    ("=>1.0", "1.0.0"), ("=<1.0", "1.0.0"), ("~>1.2", "1.2.9"), (" >= 1.2 ", "1.2.0"), (">= 1.2", "1.2.0"),
    (">1.x", "2.0.0"), ("<1.2", "1.1.9"), ("<1.2", "1.2.0"), ("!=1.x", "2.0.0"), ("!=1", "1.5.0"),
    ("<=1.2.3", "1.2.3"), (">=1.19.0-0 <1.25.0-0", "1.24.9-eks-1234"), ("^1.x", "1.5.0"), ("~1.x", "1.5.0"),
    (">=1.0.0-alpha", "1.0.0-alpha.1"), ("1.0.0 - 2.0.0 || 3.x", "3.4.0"), ("=1.2.3-rc.1", "1.2.3-rc.1"),
    ("<=1.2.3-rc.2", "1.2.3-rc.10"), (">v1.0", "v1.1.0"), ("1.2.3, 1.2.3", "1.2.3"), ("1.2.3 1.2.4", "1.2.3"),
]
CASES += [
    " ".join('{{ semverCompare "%s" "%s" }}' % pair for pair in SEMVER[i:i + 10])
    for i in range(0, len(SEMVER), 10)
] + [
    '{{ $v := semver "v1.2.3-beta.1+build.5" }}{{ $v.Major }} {{ $v.Minor }} {{ $v.Patch }} {{ $v.Prerelease }} {{ $v.Metadata }} {{ $v.Original }} {{ $v }} {{ typeOf $v }} {{ kindOf $v }} {{ $v.String }} {{ toJson $v }} {{ (semver "1.2").Compare (semver "1.3") }} {{ $v.LessThan (semver "2") }}',
    '{{ (semver "1.0.0-rc.1").Compare (semver "1.0.0-rc.1.2") }} {{ (semver "1.0.0-alpha").Compare (semver "1.0.0-1") }} {{ (semver "1.0.0-10").Compare (semver "1.0.0-9") }} {{ (semver "1.0.0").Compare (semver "1.0.0+x") }} {{ (semver "1.0.0").Compare (semver "1.0.0-x") }} {{ (semver "2.0.0").GreaterThan (semver "1.9.9") }} {{ (semver "1.2.3").Equal (semver "v1.2.3") }}',
    '{{ (semver "1.2.3").IncMajor }} {{ (semver "1.2.3").IncMinor }} {{ (semver "1.2.3").IncPatch }} {{ (semver "1.2.3-rc.1").IncPatch }} {{ semver "01.2.3" }} {{ semver "1" }} {{ eq (semver "1.2.3").Major 1 }} {{ gt (semver "1.20").Minor 19 }}',
    '{{ semver "1.2.x" }}',
    '{{ semver "1.2.3-01" }}',
    '{{ semver "1.2.3.4" }}',
    '{{ semver "  1.2.3" }}',
    '{{ semverCompare "1.2.3" "foo" }}',
    '{{ semverCompare "bad" "1.2.3" }}',
    '{{ semverCompare "" "1.2.3" }}',
    '{{ semverCompare "1.2.3.4" "1.2.3" }}',
    '{{ semverCompare ">=1.2 ||" "1.2.3" }}',
]

# dates (Helm's Local zone was UTC when these were generated, as on the CI machine)
CASES += [
    '{{ date "2006-01-02 15:04:05" 0 }}|{{ dateInZone "2006-01-02T15:04:05Z07:00 MST" 1700000000 "America/New_York" }}|{{ dateInZone "Mon Jan _2 3:4:5.000 PM -0700 MST" 1700000000 "Europe/Berlin" }}|{{ dateInZone "2006" 1 "Bad/Zone" }}|{{ htmlDate 1700000000 }}|{{ htmlDateInZone 1700000000 "Asia/Tokyo" }}|{{ date_in_zone "2006" 0 "UTC" }}',
    '{{ dateInZone "Monday January 2 06 3PM pm .999 ,000000 .9 Z0700 Z07 -07 -07:00:00 002 __2 1 01 _2 Z07:00:00 -070000" 1700000001 "Asia/Kolkata" }}',
    '{{ dateInZone "2006-01-02 15:04:05 MST Z07:00 Z" 1690000000 "Australia/Lord_Howe" }}|{{ dateInZone "Jan 2 15:04 MST" 1690000000 "America/Los_Angeles" }}|{{ dateInZone "Jan 2 15:04 MST" 1700000000 "America/Los_Angeles" }}|{{ dateInZone "2006-01-02 MST" -1 "UTC" }}|{{ dateInZone "2006-01-02" 253402300799 "UTC" }}',
    '{{ duration "95" }}|{{ duration .Values.f }}|{{ duration (int64 3661) }}|{{ duration "-5" }}|{{ duration "x" }}|{{ duration (int64 0) }}|{{ duration "86400" }}',
    '{{ durationRound "2h10m5s" }}|{{ durationRound (int64 90000000000) }}|{{ durationRound "400h" }}|{{ durationRound "9000h" }}|{{ durationRound "-3h" }}|{{ durationRound "1s" }}|{{ durationRound .Values.f }}|{{ durationRound "1.5s" }}|{{ durationRound "61m" }}',
    '{{ toDate "2006-01-02" "2017-12-31" }}|{{ toDate "2006-01-02" "bad" }}|{{ toDate "2006-01-02 15:04:05 MST" "2017-12-31 10:11:12 CET" }}|{{ toDate "2006-01-02T15:04:05Z07:00" "2017-12-31T10:11:12.5+05:30" }}|{{ typeOf (toDate "2006-01-02" "2017-12-31") }}|{{ kindOf (toDate "2006" "2017") }}',
    '{{ toDate "2006-01-02" "2017-12-31" | date "Jan 2, 2006 at 3:04pm (MST)" }}|{{ dateModify "1.5h" (toDate "2006-01-02" "2017-12-31") }}|{{ dateModify "bad" (toDate "2006-01-02" "2017-12-31") }}|{{ unixEpoch (toDate "2006-01-02" "2017-12-31") }}|{{ (toDate "2006-01-02" "2017-12-31").Unix }}|{{ toJson (toDate "2006-01-02" "2017-12-31") }}|{{ (toDate "2006-01-02" "2017-12-31").Year }}|{{ (toDate "2006-01-02" "2017-12-31").Month }}|{{ (toDate "2006-01-02" "2017-12-31").Weekday }}',
    '{{ date_modify "-1h" (toDate "2006" "2000") }}|{{ must_date_modify "1m" (toDate "2006" "2000") }}|{{ mustDateModify "-2h45m30.5s" (toDate "2006" "2000") }}|{{ dateModify "1us" (toDate "2006" "2000") }}|{{ dateModify "+3ms" (toDate "2006" "2000") }}',
    '{{ toDate "2006-01-02" "0001-01-01" | date "2006-01-02 Mon" }}|{{ date "2006-01-02" (toDate "x" "y") }}|{{ toDate "02/01/06 15h04" "31/12/17 23h59" }}|{{ toDate "Jan _2 2006" "Feb  3 2020" }}|{{ toDate "2006-01-02 15:04:05.000" "2020-01-02 03:04:05.123" }}|{{ toDate "20060102150405" "20200102030405" }}',
    '{{ toDate "2006-01-02 15:04:05" "2020-01-02 03:04:05.25" }}|{{ toDate "Monday, 02-Jan-06 15:04:05 MST" "Friday, 31-Dec-99 23:59:59 UTC" }}|{{ toDate "3:04PM" "11:30AM" }}|{{ toDate "3:04pm" "12:30am" }}|{{ toDate "2006-002" "2020-060" }}|{{ toDate "January 2 2006" "march 4 2021" }}|{{ toDate "2006-01-02T15:04:05Z07:00" "2020-01-01T00:00:00Z" }}',
    '{{ toDate "2006-01-02T15:04:05Z07:00" "2020-06-01T12:00:00Z" | date "2006-01-02T15:04:05.000Z07:00" }}|{{ (toDate "2006-01-02" "2020-02-29").AddDate 1 0 0 }}|{{ (toDate "2006-01-02" "2020-01-31").AddDate 0 1 0 }}|{{ ((toDate "2006-01-02" "2020-01-01").Add 1500000000).Format "15:04:05.000" }}|{{ (toDate "2006" "2020").YearDay }}|{{ (toDate "2006" "2020").IsZero }}|{{ (toDate "2006" "x").IsZero }}',
    '{{ mustToDate "2006-01-02" "bad" }}',
    '{{ mustToDate "2006-01-02" "2020-13-01" }}',
    '{{ mustToDate "2006-01-02" "2020-02-30" }}',
    '{{ mustToDate "2006-01-02" "2020-01-02x" }}',
    '{{ mustDateModify "bad" (toDate "2006-01-02" "2017-12-31") }}',
    '{{ mustDateModify "5" (toDate "2006-01-02" "2017-12-31") }}',
    '{{ mustDateModify "5y" (toDate "2006-01-02" "2017-12-31") }}',
    '{{ dateModify "1h" .Values.s }}',
    '{{ unixEpoch .Values.i }}',
]

# crypto (deterministic parts; the ciphertexts below came from Sprig's encryptAES)
CASES += [
    '{{ derivePassword 1 "long" "password" "user" "example.com" }} {{ derivePassword 2 "maximum" "password" "user" "example.com" }} {{ derivePassword 1 "medium" "pw" "u" "s" }} {{ derivePassword 1 "short" "pw" "u" "s" }} {{ derivePassword 1 "basic" "pw" "u" "s" }} {{ derivePassword 7 "pin" "pw" "ü" "s" }} {{ derivePassword 1 "nope" "pw" "u" "s" }}',
    '{{ decryptAES "secretkey" "vukFtvx93+kNE/1xxW11oLNO/EWMyDGqiMC2iNUdvr4lz1ui7KHaQVwODRxroCJh" }}|{{ decryptAES "a-password-that-is-longer-than-thirty-two-bytes" "/9wu86SRvy/HXIPdvpxrfrw1COULVObJzTy5hCypdFw=" }}|{{ encryptAES "k" "round trip" | decryptAES "k" }}|{{ encryptAES "k" "" }}|{{ decryptAES "k" "" }}|{{ encryptAES "k" "0123456789abcdef" | len }}',
    '{{ decryptAES "k" "!!" }}',
    '{{ decryptAES "k" "YWJj" }}',
    '{{ genPrivateKey "foo" }}',
]

CASES += [
    '{{ upper "straße ŉ ǆ" }}|{{ lower "ǅ İ" }}|{{ title "ǆa ßb" }}|{{ mustDeepCopy .Values.list }}|{{ deepCopy .Values.m | toJson }}',
    '{{ deepCopy nil }}',
    '{{ (genCA "x" 1) | toJson | fromJson | keys | sortAlpha }} {{ typeOf (genCA "x" 1) }} {{ kindOf (genCA "x" 1) }}',
]

# idioms from real charts
CASES += [
    '{{ printf "%s-%s" "release-name-that-is-quite-long" "chart-name-also-long-enough-to-cut" | trunc 63 | trimSuffix "-" }}',
    '{{ .Values.s | default "x" | upper | quote }} {{ .Values.missing | default (dict "a" 1) | toJson }} {{ .Values.port | default 80 }}',
    '{{ mul .Values.i 2 }} {{ .Values.f | int }} {{ .Values.i | toString | quote }} {{ .Values.big | quote }} {{ .Values.tiny | toString }} {{ 1000000.0 | toString }} {{ .Values.i | int64 | toString }}',
    '{{ range $k, $v := (merge (dict) .Values.m2 .Values.m) }}{{ $k }}={{ $v | toJson }};{{ end }}',
    '{{ $list := list }}{{ range .Values.strs }}{{ $list = append $list (upper .) }}{{ end }}{{ $list | join "," }} {{ $list | uniq | sortAlpha | join "," }}',
    '{{ if semverCompare ">=1.19-0" .Values.kube }}networking.k8s.io/v1{{ else }}extensions/v1beta1{{ end }} {{ if semverCompare "<1.14-0" .Values.kube }}old{{ else }}new{{ end }}',
    '{{ .Values.version | semver | toJson }} {{ (semver .Values.kube).Prerelease }} {{ regexReplaceAll "^v?(\\\\d+\\\\.\\\\d+).*" .Values.kube "${1}" }}',
    '{{ "a,b, c" | splitList "," | compact | join "|" }} {{ list "a" "" "b" | compact | len }} {{ dict "k" "v" | keys | first }} {{ pick .Values.m "a" | toJson }} {{ omit .Values.m "b" "e" "f" "g" | toJson }}',
    '{{- range $i, $e := until 3 }}{{ if $i }},{{ end }}host-{{ $e }}{{ end }}',
    '{{ sha256sum (toJson .Values.m) | trunc 8 }} {{ .Values.m | toJson | b64enc }} {{ .Values.unicode | b64enc | b64dec }} {{ .Values.unicode | sha1sum }}',
    '{{ hasKey .Values.m2 "h" | ternary "yes" "no" }} {{ empty .Values.m.g | ternary 1 0 }} {{ coalesce .Values.m.g .Values.m2.g "none" }} {{ dig "b" "d" (list) .Values.m | len }}',
    '{{ $d := dict "x" (dict "y" 1) }}{{ $n := mergeOverwrite $d (dict "x" (dict "z" 2)) }}{{ $n | toJson }}',
    '{{ "hello" | nindent 4 }}{{ "a\\nb" | indent 2 | nindent 2 }}',
    '{{ list 3 1 2 | sortAlpha }} {{ list 10 9 100 | sortAlpha }} {{ .Values.list | last | add1 }} {{ .Values.mixed | toJson }} {{ .Values.mixed | toStrings | join "," }}',
    '{{ quote .Values.t .Values.no .Values.zero .Values.emptylist .Values.emptymap }} {{ squote .Values.list }}',
    '{{ cat .Values.m }} {{ cat .Values.t .Values.n 1.5 }} {{ toString .Values.html }}',
    '{{ "  padded  " | trim | len }} {{ trimAll " -" " -x- " }} {{ "xxabcxx" | trimAll "x" }} {{ trimPrefix "ab" "ababc" }} {{ trimSuffix "" "abc" }}',
]

# nil arguments
CASES += ['{{ %s }}' % t for t in [
    'concat nil', 'slice nil', 'chunk 2 nil', 'uniq nil', 'push nil 1', 'without nil 1', 'dig "a" "b" nil',
    'set nil "a" 1', 'ternary 1 2 .Values.n',
]] + [
    '{{ keys nil }} {{ pluck "a" nil }} {{ merge nil (dict) }} {{ merge (dict "a" 1) nil }} {{ sortAlpha nil }} {{ hasKey nil "a" }} {{ get nil "a" }} {{ unset nil "a" }} {{ values nil }} {{ pick nil "a" }} {{ omit nil "a" }} {{ has 1 nil }} {{ empty nil }} {{ coalesce nil }} {{ typeIs "string" nil }} {{ sortAlpha .Values.m }}',
]

# more corners
CASES += [
    '{{ chunk 0 .Values.list }}',
    '{{ randAlphaNum -1 }}|{{ randNumeric 0 }}',
    '{{ until .Values.i }}',
    '{{ abbrev 6 "héllo wörld" }}|{{ trunc 2 "héllo" }}|{{ substr 0 3 "héllo" }}|{{ wrap 3 "héllo wörld" }}',
    '{{ toDecimal 0.5 }} {{ toDecimal "0o17" }} {{ toDecimal true }} {{ toDecimal -7 }}',
    '{{ sortAlpha (list "é" "e" "z" "É" "ä") }} {{ list "b" "a" | sortAlpha | toJson }}',
    '{{ tuple 1 "a" nil }} {{ typeOf (tuple) }}',
    '{{ regexFindAll "a" "aaa" 0 | len }} {{ regexFindAll "(a)(b)?" "abab a" -1 }} {{ regexReplaceAll "(?i)HELLO" "hello Hello" "x" }} {{ regexMatch "^\\\\w+$" "héllo" }} {{ regexMatch "^\\\\d+$" "٣" }}',
    '{{ regexReplaceAll "(a)" "aaa" "$1$1" }} {{ regexReplaceAll "(a)" "aaa" "${1}1" }} {{ regexReplaceAll "(a)" "aaa" "$11" }} {{ regexReplaceAll "(?P<first>a)" "aaa" "<${first}>" }} {{ regexReplaceAll "a" "aaa" "$" }} {{ regexReplaceAll "a" "aaa" "${" }} {{ regexReplaceAll "a" "aaa" "${}" }}',
    '{{ regexSplit "(,)" "a,b" -1 }} {{ regexSplit "^" "abc" -1 }} {{ regexSplit "$" "abc" -1 }} {{ regexSplit "x*" "axbxxc" -1 }} {{ regexSplit "b" "abcbd" 0 | len }}',
    '{{ regexFind "a.c" "a\\nc" }}|{{ regexFind "(?s)a.c" "a\\nc" | len }}|{{ regexFind "[[:upper:]]+" "abCDe" }}|{{ regexFind "\\\\pL+" "12abc3" }}|{{ regexFind "x{2,}" "xxxx" }}',
    '{{ urlParse "https://example.com" | toJson }} {{ urlParse "//host/p" | toJson }} {{ urlParse "http://h/a%2Fb" | toJson }} {{ urlParse "HTTP://H/" | toJson }}',
    '{{ urlJoin (dict "scheme" "https" "host" "h" "path" "rel") }} {{ urlJoin (dict "scheme" "file" "path" "/etc/x") }} {{ urlJoin (dict "host" "h:80" "query" "a=b c") }} {{ urlJoin (dict "path" "//x") }}',
    '{{ base "a//" }} {{ dir "a/b//" }} {{ clean "/./" }} {{ clean "a/../.." }} {{ ext ".bashrc" }} {{ ext "a." }} {{ dir "//a" }}',
    '{{ toJson (list 0.1 1e6 1e21 123456789012345678 -1.5e-7 100) }} {{ toJson "\\u0007\\u001f\\u007f" }} {{ toJson (dict "<k>" "&") }}',
    '{{ toPrettyJson (dict "a" (dict "b" (list 1 (dict)))) }}',
    '{{ mustFromJson "  [true,false,null]  " }}|{{ mustFromJson "\\"\\\\ud83d\\\\ude00\\"" }}|{{ mustFromJson "-0" }}|{{ mustFromJson "1E2" }}',
    '{{ mustFromJson "01" }}',
    '{{ mustFromJson "[1e400]" }}',
    '{{ mustFromJson "[1." }}',
    '{{ mustFromJson "-" }}',
    '{{ mustFromJson "[\\"ab" }}',
    '{{ mustFromJson "[1,]" }}',
    '{{ mustFromJson "{\\"a\\":1,}" }}',
    '{{ mustFromJson "tru" }}',
    '{{ mustFromJson "\\"\\\\x\\"" }}',
    '{{ b64dec "YQ==YQ==" }}|{{ b64dec "YQ" }}|{{ b64dec "YW=" }}|{{ b64dec "====" }}|{{ b32dec "MFRGG===" }}|{{ b32dec "mfrgg===" }}|{{ b32dec "MFRGGZDF" }}',
    '{{ int64 "1e3" }} {{ int "0X1f" }} {{ int "0B11" }} {{ int "-0x10" }} {{ int "0.0" }} {{ int "." }} {{ int "-" }} {{ float64 "0x1p-2" }} {{ float64 "1_000.5" }} {{ float64 "Inf" }} {{ float64 ".5" }}',
    '{{ add 1.9 1.9 }} {{ add "1.9" 1 }} {{ max .Values.f 3 }} {{ min "x" 2 }} {{ mod 7.9 2 }} {{ div .Values.f 2 }} {{ sub "10" "3" }}',
    '{{ round 0.125 2 }} {{ round 0.135 2 }} {{ round 2.675 2 }} {{ round -0.5 0 }} {{ round 1.005 2 }} {{ floor -0.5 }} {{ ceil "x" }} {{ divf 22 7 }} {{ mulf 0.1 0.2 }} {{ subf 0.3 0.1 }}',
    '{{ semverCompare "^1.2.3-beta.2" "1.2.3-beta.4" }} {{ semverCompare "^1.2.3-beta.2" "1.2.4-beta.2" }} {{ semverCompare "~1.2.3-beta.2" "1.2.3-beta.1" }} {{ semverCompare ">1.2.3-alpha <1.2.3" "1.2.3-beta" }} {{ semverCompare "1.2.3 - 2" "2.9.9" }} {{ semverCompare "<= 1.2.3-0" "1.2.3-alpha" }}',
]

CASES += [
    '{{ semverCompare ">=1.2.3-0 <2" "1.5.0-rc.1" }} {{ semverCompare "<2 >=1.2.3-0" "1.5.0-rc.1" }} {{ semverCompare ">=1.0.0-0 || <0.5" "1.5.0-rc.1" }} {{ semverCompare "<0.5 || >=1.0.0" "1.5.0-rc.1" }} {{ semverCompare "^1.2.3-0" "1.9.0-beta" }} {{ semverCompare "~1.2-0" "1.2.5-x" }} {{ semverCompare ">1.x-0" "2.0.0-a" }} {{ semverCompare "!=1.2.3-a" "1.2.4-b" }}',
]

# further corners: durations, layouts, strings
CASES += [
    '{{ dateModify "1ns" (toDate "2006" "2000") | date "05.000000000" }} {{ dateModify "1500ms" (toDate "2006" "2000") | date "05.999" }} {{ dateModify "-1ns" (toDate "2006" "2000") }} {{ dateModify "2h-30m" (toDate "2006" "2000") | date "15:04" }}',
    '{{ durationRound "59s" }} {{ durationRound "61s" }} {{ durationRound "24h" }} {{ durationRound "25h" }} {{ durationRound "721h" }} {{ durationRound "8761h" }} {{ durationRound "1ms" }} {{ durationRound "x" }}',
    '{{ duration "1" }} {{ duration "59" }} {{ duration "60" }} {{ duration "3600" }} {{ duration "90061" }} {{ duration "-61" }} {{ duration (int64 7) }}',
    '{{ dateInZone "2006-01-02T15:04:05.000000Z07:00" 1700000000 "UTC" }} {{ dateInZone "3:04:05 pm Mon Jan 2" 1700043200 "UTC" }} {{ dateInZone "06 1 2 3 4 5" 1000000000 "UTC" }} {{ dateInZone "January _2, 2006" 1000000000 "UTC" }} {{ dateInZone "Z07:00" 0 "America/St_Johns" }}',
    '{{ dateInZone "2006-01-02 15:04 MST" 1710054000 "America/New_York" }} {{ dateInZone "2006-01-02 15:04 MST" 1710050400 "America/New_York" }} {{ dateInZone "MST -0700" 1700000000 "Asia/Kathmandu" }} {{ dateInZone "MST" 1700000000 "Etc/GMT+5" }}',
    '{{ toDate "2006-01-02 15:04:05 -0700" "2020-05-06 07:08:09 +0200" }} {{ toDate "2006-01-02 15:04:05Z07:00" "2020-05-06 07:08:09Z" }} {{ toDate "2006-01-02 MST" "2020-05-06 UTC" }} {{ toDate "Jan 2 2006" "jan 2 2020" }} {{ toDate "2006-1-2" "2020-5-6" }}',
    '{{ toDate "15:04:05.999" "12:34:56.7891" }} {{ toDate "15:04:05,000" "12:34:56,789" }} {{ toDate "2006-01-02T15:04:05" "2020-01-02T03:04:05.123456789" }} {{ (toDate "2006-01-02" "2020-01-02").UnixNano }}',
    '{{ nospace "a\\u00a0b\\u2003c" }} {{ trim "\\u00a0x\\u2003" }} {{ initials "  a  b  " }} {{ swapcase "ǅx" }} {{ title "hello_world 3d-model x.y" }} {{ untitle "ÀB" }}',
    '{{ wrapWith 4 "<br>" "one two three four" }}|{{ wrap 0 "a b" }}|{{ wrap 1 "ab cd" }}|{{ wrapWith 6 "\\n" "abcdefghijklmn op" }}',
    '{{ abbrevboth 5 20 "abcdefghijklmnopqrstuvwxyz" }}|{{ abbrevboth 10 10 "abcdefghijklmnopqrstuvwxyz" }}|{{ abbrevboth 30 10 "abcdefghijklmnopqrstuvwxyz" }}|{{ abbrev 4 "abcdef" }}|{{ abbrev 5 "" }}',
    '{{ splitn "" 2 "abc" | toJson }} {{ split "" "ab" | toJson }} {{ splitList "ab" "cabbabd" }} {{ replace "a" "" "banana" }} {{ trimAll "" "abc" }} {{ trunc 3 "" }}',
    '{{ plural "x" "y" -1 }} {{ repeat 2 "" }} {{ indent 3 "" }} {{ nindent 0 "" | len }} {{ quote "" }} {{ squote "" }} {{ cat "" "" }}',
    '{{ contains "é" "café" }} {{ hasPrefix "" "x" }} {{ hasSuffix "" "" }} {{ upper "ß" }} {{ lower "ΑΣ" }} {{ toString 3.0 }} {{ toString -0.0 }} {{ toString 1e100 }}',
]

# merge and reflection corners
CASES += [
    '{{ merge (dict "a" (dict "l" (list 1) "n" nil "z" 0)) (dict "a" (dict "l" (list 2) "n" (dict "q" 1) "z" 5)) | toJson }}',
    '{{ mergeOverwrite (dict "a" (dict "l" (list 1) "n" "x")) (dict "a" (dict "l" (list) "n" nil)) | toJson }}',
    '{{ mergeOverwrite (dict "a" 1 "b" 2) (dict "a" 0 "b" "") (dict "c" false) | toJson }}',
    '{{ merge (dict) (dict "a" (dict "b" 1)) (dict "a" (dict "c" 2)) | toJson }} {{ merge (dict "a" (dict)) (dict "a" (dict "b" 1)) | toJson }}',
    '{{ merge (dict "a" "x") (dict "a" (list 1)) | toJson }} {{ merge (dict "a" (list)) (dict "a" "x") | toJson }} {{ mergeOverwrite (dict "a" (list 1)) (dict "a" "x") | toJson }}',
    '{{ mergeOverwrite (dict "a" (dict "b" 1)) (dict "a" "x") | toJson }} {{ mergeOverwrite (dict "a" "x") (dict "a" (dict "b" 1)) | toJson }} {{ merge (dict "a" (dict "b" 1)) (dict "a" "x") | toJson }}',
    '{{ typeIs "*semver.Version" (semver "1.0.0") }} {{ typeIsLike "semver.Version" (semver "1.0.0") }} {{ kindIs "ptr" (semver "1.0.0") }} {{ deepEqual (semver "1.0.0") (semver "1.0.0") }} {{ empty (semver "1.0.0") }} {{ toString (semver "v1.0") }}',
    '{{ deepEqual (list 1 (dict "a" (list 2))) (list 1 (dict "a" (list 2))) }} {{ deepEqual (dict "a" nil) (dict "a" nil) }} {{ deepEqual (dict "a" nil) (dict) }} {{ deepEqual (list) .Values.emptylist }} {{ deepEqual 1 1.0 }}',
    '{{ pluck "b" .Values.m .Values.m2 | toJson }} {{ dig "b" "x" "d" .Values.m2 }} {{ get .Values.m2 "h" }} {{ keys .Values.m2 .Values.m | uniq | sortAlpha }}',
    '{{ $x := dict "a" 1 }}{{ $y := set $x "b" 2 }}{{ $y | toJson }} {{ unset $y "a" | toJson }} {{ omit $y "a" "zz" | toJson }}',
]
