import Foundation

extension TimeZone {
    /// Vietnam's zone (UTC+07:00, no daylight saving): the one default for every setting that takes
    /// a zone when the configuration names none.
    public static let wardDefault = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
}
