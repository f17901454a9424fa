import TapeDeck

/// The JSON body of an answer tapedeck gives in place of one it cannot pass on or serve (a 404
/// miss, a 413, a 502 or 504), in OpenAI's error shape so SDKs show the message:
/// `{"error":{"message":…,"type":…[,"code":…]}}`.
enum ErrorBody {
    static func json(message: String, type: String, code: String? = nil) -> [UInt8] {
        var json = JSONWriter(capacity: 256 + message.utf8.count)
        json.raw(#"{"error":{"message":"#)
        json.string(message)
        json.raw(#","type":"#)
        json.string(type)
        if let code {
            json.raw(#","code":"#)
            json.string(code)
        }
        json.raw("}}")
        return json.bytes
    }
}
