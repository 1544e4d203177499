// Composite literals, access, calls, pipes, functions, conditionals.
rec = {a: 1, b: 2, c: 3}
short = {a, b, c}
quoted = {"key with space": 1, plain: 2}
ext = {rec with x: 5, y: 5}
extShort = {rec with a, b}
empty = {}
arr = [1, 2, 3]
nested = [[1], [], [{a: 1}]]
dict = ["a": 1, "b": 2]
exprKeys = [a: 1, b + "x": 2]
emptyDict = [:]
idx = arr[0]
mem = rec.a
memStr = rec["a"]
chain = a.b(c: 1)[2].d["e"]
call0 = f()
callShort = testing.diff(got, want)
piped = from(bucket: "b")
    |> range(start: -1h, stop: now())
    |> filter(fn: (r) => r._measurement == "cpu" and r._field =~ /usage_.*/ and not r.host !~ /^x/)
    |> map(fn: (r) => ({r with _value: r._value * 2.0}))
    |> yield(name: "out")
noParams = () => 1
sum = (a, b) => a + b
defaults = (x=1, y=1) => x * y
pipeParam = (tables=<-, fn=(r) => true) => tables |> filter(fn: fn)
blockBody = (a, b, c) => {
    d = a + b
    return d / c
}
recordBody = (r) => ({r with z: 0})
cond = if code == 0 then "green" else if code == 1 then "yellow" else "red"
existsCheck = (r) => exists r.x and r.x > 0
unary = [-x, +x, not x, --x, -(-x)]
compare = [a == b, a != b, a < b, a <= b, a > b, a >= b, a =~ /x/, a !~ /x/]
arith = [a + b, a - b, a * b, a / b, a % b, a ^ b]
logical = [a and b, a or b]
paren = (a + b) * c
immediate = ((x) => x + 1)(x: 1)
