// Vietnamese first, English one click away. Only the language choice is remembered.

const strings = {
  vi: {
    'nav.map': 'Bản đồ', 'nav.search': 'Tìm kiếm', 'nav.incidents': 'Vụ việc', 'nav.tips': 'Tin báo',
    'nav.exports': 'Trích xuất', 'nav.ops': 'Vận hành', signout: 'Đăng xuất', lang: 'English', close: 'Đóng',
    'signin.intro': 'Nhập mã truy cập do quản trị viên cấp. Mã chỉ dùng một lần để mở phiên làm việc.',
    'signin.token': 'Mã truy cập', 'signin.submit': 'Đăng nhập', 'signin.failed': 'Không đăng nhập được',
    'help.title': 'Phím tắt', 'key.next': 'Sự kiện kế tiếp', 'key.prev': 'Sự kiện trước', 'key.open': 'Mở sự kiện',
    'key.play': 'Phát / dừng video', 'key.reviewed': 'Đánh dấu đã xem', 'key.export': 'Trích xuất', 'key.search': 'Tìm kiếm',
    'key.help': 'Trợ giúp này', 'key.select': 'Chọn để trích xuất',
    'map.title': 'Bản đồ camera', 'map.none': 'Chưa có camera nào có toạ độ.', 'map.nocoords': 'Camera không có toạ độ',
    'health.ok': 'Bình thường', 'health.late': 'Trễ', 'health.problem': 'Có vấn đề', 'health.unknown': 'Chưa có dữ liệu',
    'day.title': 'Một ngày của camera', 'day.prev': '◀ Ngày trước', 'day.next': 'Ngày sau ▶', 'day.zoomin': 'Phóng to',
    'day.zoomout': 'Thu nhỏ', 'day.covered': 'Có ghi hình', 'day.gap': 'Không ghi hình', 'day.quiet': 'Yên tĩnh',
    'day.events': 'sự kiện', 'day.clickplay': 'Bấm vào dòng thời gian để xem đoạn phim lúc đó.',
    'day.nofootage': 'Không có ghi hình lúc này.', 'day.export': 'Trích xuất khoảng đang xem',
    'search.title': 'Tìm kiếm', 'search.street': 'Đường', 'search.ward': 'Phường', 'search.near': 'Gần (vĩ độ,kinh độ)',
    'search.radius': 'Bán kính (m)', 'search.from': 'Từ', 'search.to': 'Đến', 'search.duration': 'Thời lượng tối thiểu (s)',
    'search.score': 'Điểm tối thiểu', 'search.camera': 'Camera', 'search.go': 'Tìm', 'search.results': 'kết quả',
    'search.more': 'Thêm kết quả', 'search.none': 'Không có sự kiện nào.', 'search.region': 'Vùng và hướng',
    'search.regionhelp': 'Kéo chuột trên ảnh để vẽ vùng (ví dụ cổng), chọn hướng, rồi tìm.',
    'search.direction': 'Hướng', 'search.anydir': 'Mọi hướng', 'search.clearregion': 'Xoá vùng',
    'search.selected': 'đã chọn', 'search.exportsel': 'Trích xuất mục đã chọn',
    'event.title': 'Sự kiện', 'event.why': 'Vì sao được đánh dấu', 'event.score': 'Điểm', 'event.area': 'Diện tích',
    'event.duration': 'Thời lượng', 'event.peak': 'Đỉnh', 'event.nearby': 'Camera gần đó (±2 phút)',
    'event.nonearby': 'Không có sự kiện gần đó.', 'event.incidents': 'Vụ việc liên quan', 'event.noincidents': 'Chưa liên kết vụ việc nào.',
    'event.reviewed': 'Đã xem', 'event.note': 'Ghi chú', 'event.save': 'Lưu', 'event.saved': 'Đã lưu',
    'event.noplay': 'Chỉ điều tra viên được xem video.', 'event.camera': 'Camera', 'event.time': 'Thời gian',
    'event.day': 'Xem cả ngày', 'event.cannotplay': 'Trình duyệt không phát được đoạn phim này; hãy trích xuất để xem', 'event.export': 'Trích xuất sự kiện này',
    'incidents.title': 'Vụ việc', 'incidents.status': 'Trạng thái', 'incidents.any': 'Tất cả', 'incidents.open': 'Đang mở',
    'incidents.closed': 'Đã đóng', 'incidents.text': 'Chứa chữ', 'incidents.filter': 'Lọc', 'incidents.none': 'Không có vụ việc.',
    'incident.links': 'Sự kiện liên kết (xếp hạng)', 'incident.reason': 'Lý do', 'incident.confirm': 'Xác nhận',
    'incident.reject': 'Bác bỏ', 'incident.tips': 'Tin báo', 'incident.nolinks': 'Chưa có liên kết.', 'incident.contact': 'Liên hệ',
    'incident.state.suggested': 'Đề xuất', 'incident.state.confirmed': 'Đã xác nhận', 'incident.state.rejected': 'Đã bác bỏ',
    'tips.title': 'Tin báo', 'tips.channel': 'Kênh', 'tips.incident': 'Vụ việc', 'tips.none': 'Không có tin báo.',
    'export.title': 'Trích xuất chứng cứ', 'export.events': 'Sự kiện (mã, cách nhau bằng dấu phẩy)',
    'export.orrange': 'hoặc camera và khoảng thời gian', 'export.case': 'Số hồ sơ', 'export.reason': 'Lý do',
    'export.go': 'Tạo gói chứng cứ', 'export.done': 'Đã tạo gói', 'export.bundles': 'Các gói đã tạo',
    'export.download': 'Tải về', 'export.verify': 'Kiểm tra', 'export.intact': 'Nguyên vẹn', 'export.broken': 'Bị sửa đổi',
    'export.none': 'Chưa có gói nào.', 'export.unverified': 'Chưa kiểm tra',
    'ops.title': 'Tình trạng camera', 'ops.lag': 'Độ trễ', 'ops.last': 'Ghi hình gần nhất', 'ops.problems': 'Vấn đề',
    'ops.events': 'Sự kiện', 'ops.state': 'Trạng thái', 'ops.audit': 'Nhật ký kiểm toán', 'ops.verify': 'Kiểm tra chuỗi',
    'ops.chainok': 'Chuỗi nguyên vẹn', 'ops.chainbad': 'Chuỗi bị phá vỡ', 'ops.actor': 'Người', 'ops.action': 'Hành động',
    'ops.query': 'Yêu cầu', 'ops.results': 'Kết quả', 'ops.entries': 'mục',
    'common.street': 'Đường', 'common.ward': 'Phường', 'common.loading': 'Đang tải…', 'common.error': 'Lỗi',
    'common.time': 'Thời gian', 'common.place': 'Địa điểm', 'common.description': 'Mô tả', 'common.none': '—',
  },
  en: {
    'nav.map': 'Map', 'nav.search': 'Search', 'nav.incidents': 'Incidents', 'nav.tips': 'Tips',
    'nav.exports': 'Exports', 'nav.ops': 'Operations', signout: 'Sign out', lang: 'Tiếng Việt', close: 'Close',
    'signin.intro': 'Enter the access token your administrator gave you. It is used once to open a session.',
    'signin.token': 'Access token', 'signin.submit': 'Sign in', 'signin.failed': 'Sign-in failed',
    'help.title': 'Keyboard shortcuts', 'key.next': 'Next event', 'key.prev': 'Previous event', 'key.open': 'Open event',
    'key.play': 'Play / pause video', 'key.reviewed': 'Mark reviewed', 'key.export': 'Export', 'key.search': 'Search',
    'key.help': 'This help', 'key.select': 'Select for export',
    'map.title': 'Camera map', 'map.none': 'No camera has coordinates yet.', 'map.nocoords': 'Cameras without coordinates',
    'health.ok': 'OK', 'health.late': 'Late', 'health.problem': 'Problem', 'health.unknown': 'No data yet',
    'day.title': "A camera's day", 'day.prev': '◀ Previous day', 'day.next': 'Next day ▶', 'day.zoomin': 'Zoom in',
    'day.zoomout': 'Zoom out', 'day.covered': 'Recorded', 'day.gap': 'Not recorded', 'day.quiet': 'Quiet',
    'day.events': 'events', 'day.clickplay': 'Click the timeline to play the footage at that moment.',
    'day.nofootage': 'Nothing was recorded at that moment.', 'day.export': 'Export the range shown',
    'search.title': 'Search', 'search.street': 'Street', 'search.ward': 'Ward', 'search.near': 'Near (lat,lon)',
    'search.radius': 'Radius (m)', 'search.from': 'From', 'search.to': 'To', 'search.duration': 'Min duration (s)',
    'search.score': 'Min score', 'search.camera': 'Camera', 'search.go': 'Search', 'search.results': 'results',
    'search.more': 'More results', 'search.none': 'No events.', 'search.region': 'Region and direction',
    'search.regionhelp': 'Drag on the still to draw a region (the gate, say), pick a direction, then search.',
    'search.direction': 'Direction', 'search.anydir': 'Any direction', 'search.clearregion': 'Clear region',
    'search.selected': 'selected', 'search.exportsel': 'Export selected',
    'event.title': 'Event', 'event.why': 'Why it was flagged', 'event.score': 'Score', 'event.area': 'Area',
    'event.duration': 'Duration', 'event.peak': 'Peak', 'event.nearby': 'Nearby cameras (±2 min)',
    'event.nonearby': 'No events nearby.', 'event.incidents': 'Incidents', 'event.noincidents': 'Not linked to any incident.',
    'event.reviewed': 'Reviewed', 'event.note': 'Note', 'event.save': 'Save', 'event.saved': 'Saved',
    'event.noplay': 'Only investigators can play footage.', 'event.camera': 'Camera', 'event.time': 'Time',
    'event.day': 'Whole day', 'event.cannotplay': 'This browser cannot play this clip; export it to view it', 'event.export': 'Export this event',
    'incidents.title': 'Incidents', 'incidents.status': 'Status', 'incidents.any': 'Any', 'incidents.open': 'Open',
    'incidents.closed': 'Closed', 'incidents.text': 'Containing', 'incidents.filter': 'Filter', 'incidents.none': 'No incidents.',
    'incident.links': 'Linked events (ranked)', 'incident.reason': 'Reason', 'incident.confirm': 'Confirm',
    'incident.reject': 'Reject', 'incident.tips': 'Tips', 'incident.nolinks': 'No links yet.', 'incident.contact': 'Contact',
    'incident.state.suggested': 'Suggested', 'incident.state.confirmed': 'Confirmed', 'incident.state.rejected': 'Rejected',
    'tips.title': 'Tips', 'tips.channel': 'Channel', 'tips.incident': 'Incident', 'tips.none': 'No tips.',
    'export.title': 'Export evidence', 'export.events': 'Events (ids, comma-separated)',
    'export.orrange': 'or a camera and a time range', 'export.case': 'Case number', 'export.reason': 'Reason',
    'export.go': 'Build bundle', 'export.done': 'Bundle built', 'export.bundles': 'Bundles',
    'export.download': 'Download', 'export.verify': 'Verify', 'export.intact': 'Intact', 'export.broken': 'Altered',
    'export.none': 'No bundles yet.', 'export.unverified': 'Not verified',
    'ops.title': 'Camera health', 'ops.lag': 'Lag', 'ops.last': 'Last recording', 'ops.problems': 'Problems',
    'ops.events': 'Events', 'ops.state': 'State', 'ops.audit': 'Audit trail', 'ops.verify': 'Verify chain',
    'ops.chainok': 'Chain intact', 'ops.chainbad': 'Chain broken', 'ops.actor': 'Who', 'ops.action': 'Action',
    'ops.query': 'Request', 'ops.results': 'Results', 'ops.entries': 'entries',
    'common.street': 'Street', 'common.ward': 'Ward', 'common.loading': 'Loading…', 'common.error': 'Error',
    'common.time': 'Time', 'common.place': 'Place', 'common.description': 'Description', 'common.none': '—',
  },
};

let language = localStorage.getItem('ww-lang') === 'en' ? 'en' : 'vi';

export function t(key) {
  return strings[language][key] ?? strings.vi[key] ?? key;
}

export function lang() { return language; }

export function toggleLanguage() {
  language = language === 'vi' ? 'en' : 'vi';
  localStorage.setItem('ww-lang', language);
  document.documentElement.lang = language;
  translate(document);
}

/** Fills every element with data-i18n under `root`. */
export function translate(root) {
  document.documentElement.lang = language;
  for (const element of root.querySelectorAll('[data-i18n]')) element.textContent = t(element.dataset.i18n);
}

/** A local time as the ward reads it ("10/07/2024 15:30:05"), from an ISO 8601 text with offset. */
export function localTime(iso) {
  if (!iso) return t('common.none');
  // The API already writes local times with the ward's offset: show the wall clock it names.
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(iso);
  if (!match) return iso;
  const [, y, mo, d, h, mi, s] = match;
  return language === 'vi' ? `${d}/${mo}/${y} ${h}:${mi}:${s}` : `${y}-${mo}-${d} ${h}:${mi}:${s}`;
}

export function seconds(value) {
  if (value == null) return t('common.none');
  if (value < 60) return `${Number(value).toFixed(1)} s`;
  if (value < 3600) return `${Math.floor(value / 60)} min ${Math.round(value % 60)} s`;
  return `${Math.floor(value / 3600)} h ${Math.round((value % 3600) / 60)} min`;
}
