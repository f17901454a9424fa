/// A fault specification that does not parse or makes no sense: the whole message names the
/// specification and the part that is wrong.
package struct FaultError: Error, CustomStringConvertible, Sendable {
    /// `fault 'GET /models status=abc': status 'abc' is not a number`.
    package var message: String

    package init(_ message: String) { self.message = message }

    package var description: String { message }
}
