import Foundation

/// The environment the test glue reads (`TAPEDECK_MODE`, `CI`): the process's, replaced only by
/// the glue's own tests, which record on CI without setting `TAPEDECK_MODE` for the whole run.
package enum TestEnvironment {
    /// The variables in force for the running task.
    @TaskLocal package static var variables: [String: String] = ProcessInfo.processInfo.environment
}
