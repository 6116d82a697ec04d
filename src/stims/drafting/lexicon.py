"""The drafting engine's vocabulary, as data: add a word here (with a test) to teach the engine a phrasing.

Every table is plain data read by the stages (`structure`, `people`, `dates`, `figures`, `rules`); no logic
lives here. Keep longer forms first where one table is turned into an alternation (the stages also sort
by length, so order only matters for readability).
"""

from __future__ import annotations

# --- People ----------------------------------------------------------------------------------------

# Vietnamese surnames, including those of the northern mountain provinces' peoples (Dao, H'Mông, Tày,
# Thái, Sán Chay …): "Bàn Văn Tài", "Chìu A Sáng", "Tằng Văn Phú", "Lô Thị Hoa", "Lường Văn Ngọc".
SURNAMES = frozenset(
    """
    Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Đào Trịnh Mai Tạ Tô Lương
    Hà Lâm Quách Cao Chu Triệu Thái Lã Lò Vương Kiều Mạc Nông Hứa Đàm Lục Khổng Doãn Thân Tăng Tống Âu
    Giáp Ninh Quan Văn Lại Châu Diệp Từ Phùng Nghiêm Thạch La Hầu Đoàn Lưu Trương Vi Ma Sầm
    Bàn Chìu Tằng Lô Lường Mùa Sùng Giàng Thào Vàng Hờ Lầu Sình Tẩn Lỳ Chảo Phàn Lý Má Cầm Quàng Hoàng
    Bế Hà Mông Nịnh Lăng Hứa Dương Ngân Khà Mè Tòng Bạc Tô Đèo Điêu Lưu Lục Hà Ông Phí Kim Mã Khúc
    Chíu Chẻo Lù Thèn Sa Lộc Mông Hoàng Giàng Lầu Vừ Sình Tòng Cầm Khà Lềnh Pờ Chang Phan Dìu Làu
    Đồng Tôn Vưu Trình Khuất Hán Viên Lò Chẩu Chử Đàm Cù Bạch Thiều Lữ Mẫn Hàn Giang Quang Âu Hồ
    """.split()
)

# Where a position starts. Longer forms first, so "Phó Chủ tịch" wins over "Chủ tịch".
TITLE_HEADS = (
    "Phó Tổng Giám đốc",
    "Tổng Giám đốc",
    "Phó Bí thư",
    "Bí thư",
    "Phó Chủ tịch",
    "Chủ tịch",
    "Phó Giám đốc",
    "Giám đốc",
    "Tỉnh ủy viên",
    "Tỉnh uỷ viên",
    "Huyện ủy viên",
    "Huyện uỷ viên",
    "TUV",
    "Ủy viên",
    "Uỷ viên",
    "Phó Trưởng phòng",
    "Trưởng phòng",
    "Phó Trưởng ban",
    "Trưởng ban",
    "Phó Chánh Văn phòng",
    "Chánh Văn phòng",
    "Phó Chánh Thanh tra",
    "Chánh Thanh tra",
    "Phó Chi cục trưởng",
    "Chi cục trưởng",
    "Phó Viện trưởng",
    "Viện trưởng",
    "Phó Hiệu trưởng",
    "Hiệu trưởng",
    "Bộ trưởng",
    "Thứ trưởng",
    "Phó Trưởng đoàn",
    "Trưởng đoàn",
    "Chuyên viên chính",
    "Chuyên viên",
    "Cán bộ",
    "Công chức",
    "Kế toán",
    "Phó Trưởng thôn",
    "Trưởng thôn",
    "Phó Trưởng bản",
    "Trưởng bản",
    "Phó Chủ nhiệm",
    "Chủ nhiệm",
    "Phó Tổng biên tập",
    "Thư ký",
    "Đại diện",
)

# Words that end a position written after a name ("…, Giám đốc Sở KH&CN làm trưởng đoàn").
POSITION_STOP_WORDS = (
    "làm",
    "phát biểu",
    "cho biết",
    "đã",
    "đánh giá",
    "đề nghị",
    "chủ trì",
    "tới dự",
    "báo cáo",
    "nhấn mạnh",
    "có",
    "cùng",
    "dự",
    "cũng",
    "yêu cầu",
    "biểu dương",
    "ghi nhận",
    "thống nhất",
    "đồng tình",
    "giao",
    "kết luận",
    "chỉ đạo",
    "khẳng định",
    "trao",
    "tham dự",
    "tặng",
    "trình bày",
    "thông tin",
    "nêu",
    "mong muốn",
    "kiến nghị",
    "đề xuất",
    "lưu ý",
    "phụ trách",
    "ghi biên bản",
    "thay mặt",
)

# After "và", a position goes on ("Văn phòng HĐND và UBND xã") unless a new person or party begins.
AND_STARTS_NEW = ("đồng chí", "ông", "bà", "các", "đại diện", "lãnh đạo", "cùng")

# Position words that put a person on the locality's side (commune, ward, district, village offices).
LOCALITY_MARKERS = ("xã", "phường", "thị trấn", "huyện", "thị xã", "thôn", "HTX", "hợp tác xã", "đặc khu")
# Position words that put a person on the department's side.
DEPARTMENT_MARKERS = ("Sở", "Trung tâm", "Chi cục", "Phòng Quản lý", "Thanh tra Sở", "Văn phòng Sở")

# --- Units ------------------------------------------------------------------------------------------

# What may open the name of a unit (an addressee, a lead unit, a subject that acts).
UNIT_HEADS = (
    "các",
    "Các",
    "Sở",
    "sở",
    "Phòng",
    "phòng",
    "UBND",
    "Ủy ban",
    "Uỷ ban",
    "huyện",
    "Huyện",
    "xã",
    "Xã",
    "phường",
    "Phường",
    "thị trấn",
    "Thị trấn",
    "lãnh đạo",
    "Lãnh đạo",
    "Ban",
    "Trung tâm",
    "Chi cục",
    "ngành",
    "Ngành",
    "tỉnh",
    "Tỉnh",
    "Thanh tra",
    "Văn phòng",
    "địa phương",
    "Địa phương",
    "thành phố",
    "Thành phố",
    "Viện",
    "Trường",
    "Công ty",
    "HTX",
    "Hợp tác xã",
    "Hội",
    "Đoàn",
    "Bộ phận",
    "Tổ",
)

# Localities: the words that name an administrative unit, before and after the 2025 reform.
LOCALITY_WORDS = ("huyện", "xã", "phường", "thị trấn", "thị xã", "thành phố", "đặc khu")

# --- Directives and requests ------------------------------------------------------------------------

# Verbs an assignment starts with. Matched in lower case only, so that "Trung tâm Hỗ trợ khởi
# nghiệp" (a name) is not read as the verb "hỗ trợ".
ACTION_VERBS = (
    "cần",
    "tiếp tục",
    "tăng cường",
    "hỗ trợ",
    "phối hợp",
    "rà soát",
    "thực hiện",
    "tham mưu",
    "tập trung",
    "tiếp thu",
    "thường xuyên",
    "tổ chức",
    "triển khai",
    "nghiên cứu",
    "quan tâm",
    "xây dựng",
    "kiện toàn",
    "khẩn trương",
    "đẩy mạnh",
    "chủ động",
    "bố trí",
    "làm tốt",
    "nhất trí",
    "phát huy",
    "đầu tư",
    "chủ trì",
    "hoàn thiện",
    "hoàn thành",
    "đề xuất",
    "báo cáo",
    "kiểm tra",
    "khuyến khích",
    "ban hành",
    "sớm",
    "nâng cao",
    "duy trì",
    "ứng dụng",
    "chỉ đạo",
    "hướng dẫn",
    "kết nối",
    "theo dõi",
    "đôn đốc",
    "phấn đấu",
    "hình thành",
    "nuôi",
    "chịu trách nhiệm",
    "có trách nhiệm",
    "có văn bản",
    "là đầu mối",
    "làm đầu mối",
    "cử",
    "bảo đảm",
    "đảm bảo",
    "cung cấp",
    "xác định",
    "kiểm soát",
    "vận động",
    "thúc đẩy",
    "ưu tiên",
    "giúp",
    "có",
    "cho phép",
    "cho chủ trương",
    "chuẩn bị",
    "trình",
    "ký",
    "lập",
    "tổng hợp",
    "tuyên truyền",
    "phổ biến",
    "cập nhật",
    "đánh giá",
    "lựa chọn",
    "tiến hành",
    "gửi",
    "phân công",
    "hướng dẫn",
    "sửa đổi",
    "bổ sung",
    "khảo sát",
    "thẩm định",
    "công bố",
    "đăng ký",
    "xử lý",
    "giải quyết",
    "chỉ đạo",
    "tập huấn",
    "đào tạo",
    "nhân rộng",
    "quảng bá",
    "làm việc",
    "thống kê",
)
# Verbs that open a one-off job (a paper to draft, a proposal to make) as opposed to ongoing work.
ONE_OFF_VERBS = (
    "tham mưu",
    "đề xuất",
    "ban hành",
    "trình",
    "báo cáo",
    "kiện toàn",
    "xây dựng thí điểm",
    "khẩn trương",
    "hoàn thành",
    "lập",
    "tổng hợp",
)

# Words that open the chair's assignment to a unit: "giao (cho) X …", "yêu cầu X …", "đề nghị X …".
# "giao" alone only before a unit word (see rules.DIRECTIVE_TRIGGER), so "bàn giao"/"được giao" are not.
DIRECTIVE_TRIGGERS = ("giao cho", "yêu cầu", "đề nghị", "chỉ đạo", "phân công", "thống nhất giao", "giao")
# Phrases where a trigger word is only a heading or a description, not an assignment.
NOT_DIRECTIVE = (
    "phát biểu chỉ đạo",
    "ý kiến chỉ đạo",
    "chỉ đạo điều hành",
    "được giao",
    "bàn giao",
    "chuyển giao",
    "nhiệm vụ được giao",
    "theo đề nghị",
    "đã chỉ đạo",
    "quan tâm chỉ đạo",
    "sự chỉ đạo",
    "công tác chỉ đạo",
    "lãnh đạo, chỉ đạo",
    "giao thông",
    "giao dịch",
    "giao lưu",
    "giao thương",
    "giao khoán",
    "giao đất",
    "giao rừng",
    "đề nghị của",
    "yêu cầu của",
    "kiến nghị của",
    "theo yêu cầu",
    "đáp ứng yêu cầu",
    "yêu cầu đặt ra",
    "yêu cầu nhiệm vụ",
    "chỉ đạo của",
)
# Words by which the locality asks: a request when the speaker is the locality.
REQUEST_TRIGGERS = ("đề nghị", "kiến nghị", "mong muốn", "đề xuất")

# Openers removed before reading an item ("Đồng thời, …", "Đối với đề nghị …:").
CONNECTORS = (
    "Đồng thời",
    "Đông thời",
    "Bên cạnh đó",
    "Ngoài ra",
    "Mặt khác",
    "Theo đó",
    "Do đó",
    "Vì vậy",
    "Trong đó",
    "Cụ thể",
    "Trước mắt",
    "Thời gian tới",
    "Trong thời gian tới",
    "Riêng",
)

# Lines (or openings) by which the chair's conclusion begins: what follows is credited to the chair.
CONCLUSION_OPENERS = (
    "kết luận như sau",
    "kết luận một số nội dung như sau",
    "kết luận và chỉ đạo như sau",
    "chỉ đạo như sau",
    "kết luận, chỉ đạo như sau",
    "ý kiến kết luận",
    "kết luận của chủ trì",
    "kết luận của chủ tọa",
    "kết luận của giám đốc",
    "kết luận:",
)
# Section headings of a biên bản / thông báo and what each section holds.
SECTION_HEADINGS = {
    "participants": (
        "thành phần",
        "thành phần tham dự",
        "thành phần tham gia",
        "thành phần dự họp",
        "thành phần mời",
        "đoàn kiểm tra",
        "đoàn công tác",
        "thành phần đoàn",
    ),
    "discussion": (
        "ý kiến",
        "thảo luận",
        "nội dung làm việc",
        "nội dung kiểm tra",
        "diễn biến",
        "nội dung",
        "kết quả kiểm tra",
        "tình hình",
        "báo cáo",
    ),
    "conclusion": (
        "kết luận",
        "ý kiến kết luận",
        "nhiệm vụ thời gian tới",
        "nhiệm vụ trong thời gian tới",
        "tổ chức thực hiện",
        "phân công nhiệm vụ",
        "nhiệm vụ, giải pháp",
    ),
    "other": ("mục đích", "phạm vi", "thời gian", "địa điểm", "căn cứ", "chủ trì", "kính gửi"),
}

# --- Documents ---------------------------------------------------------------------------------------

# The kinds of administrative document (their name stands alone on a line, in capitals).
DOCUMENT_TYPES = ("THÔNG BÁO", "BIÊN BẢN", "CÔNG VĂN", "BÁO CÁO", "KẾT LUẬN", "GIẤY MỜI", "KẾ HOẠCH")
# Lines of a letterhead and of a signature block (folded, matched at the line's start).
LETTERHEAD_LINES = (
    "cong hoa xa hoi chu nghia",
    "doc lap tu do hanh phuc",
    "so:",
    "so ",
    "v/v",
    "ubnd ",
    "uy ban nhan dan",
    "dang cong san",
)
SIGNATURE_LINES = (
    "kt.",
    "kt ",
    "tm.",
    "tm ",
    "tl.",
    "tuq.",
    "q.",
    "(da ky)",
    "(ky",
    "da ky",
    "chu toa",
    "chu tri",
    "thu ky",
    "nguoi ghi bien ban",
    "giam doc",
    "pho giam doc",
    "chu tich",
    "pho chu tich",
    "truong doan",
    "dai dien",
)
RECIPIENTS_HEADING = ("nơi nhận", "nơi gửi")

# --- Figures -----------------------------------------------------------------------------------------

COUNT_NOUNS = (
    "sản phẩm",
    "nhiệm vụ",
    "doanh nghiệp",
    "cơ sở",
    "đề tài",
    "dự án",
    "văn bản",
    "kết quả",
    "mô hình",
    "HTX",
    "hợp tác xã",
    "sáng kiến",
    "nhãn hiệu",
    "hộ",
    "xã",
    "lớp",
    "chuyên gia",
    "tổ chức",
    "cá nhân",
    "giống",
    "chủ thể",
    "hồ sơ",
    "chỉ dẫn địa lý",
    "thôn",
    "lượt",
    "người",
    "ha",
    "hecta",
    "tấn",
    "cây",
    "con",
    "phương tiện đo",
    "trạm",
    "điểm",
    "đơn vị",
    "học viên",
    "bằng",
    "văn bằng",
)
# Nouns that name what an amount of money is ("kinh phí", "vốn", "doanh thu" …); an amount takes the
# nearest one written before it, else "kinh phí".
AMOUNT_NOUNS = (
    "kinh phí",
    "vốn",
    "doanh thu",
    "tổng mức đầu tư",
    "tổng vốn",
    "ngân sách",
    "giá trị sản xuất",
    "giá trị",
    "thu nhập",
    "lợi nhuận",
    "nguồn vốn",
    "dự toán",
    "tổng kinh phí",
    "chi phí",
)
