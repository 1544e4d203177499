// Every literal form of the SPEC's Lexical Elements section.
ints = [0, 42, 317316873, 9223372036854775807]
floats = [0., 72.40, 072.40, 2.71828, .26]
strings = ["abc", "string with double \" quote", "string with backslash \\", "日本語", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", "tab\tnewline\ncr\r", "dollar $ sign $", "dollar brace \${"]
multiline = "line one
line two"
interpolated = "the answer is ${n} and not ${n + 1}${"!"}"
regexes = [/.*/, /http:\/\/localhost:8086/, /^\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e(ZZ)?$/, /^日本語(ZZ)?$/, /a\/b\s\w/, /(?:)/]
durations = [1ns, 1us, 1µs, 1ms, 1s, 1m, 1h, 1d, 1w, 1mo, 1y, 1h15m, 1mo5d, -1mo5d, 1y2mo3w4d5h6m7s8ms9us10ns]
times = [1952-01-25T12:35:51Z, 2018-08-15T13:36:23-07:00, 2018-01-01, 2016-06-13T17:43:50.1004002Z, 1970-01-01T00:00:00.000000001Z]
labels = [.mylabel, ._value, ."with spaces"]
