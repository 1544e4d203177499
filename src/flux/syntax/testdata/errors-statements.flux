option = 1
x.
builtin y : int
testcase { }
import "late"
@orphan
