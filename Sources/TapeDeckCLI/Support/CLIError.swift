/// A refusal the user can act on, printed as `Error: ...`.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
