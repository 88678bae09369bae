/**
 * A small list of common passwords, English and Vietnamese, lower case. Checked after folding
 * accents and removing separators, and again without trailing digits ("matkhau2024" → "matkhau").
 * Deliberately short: the length rule does most of the work; this catches the obvious choices.
 */
export const COMMON_PASSWORDS: readonly string[] = [
  '123456', '1234567', '12345678', '123456789', '1234567890', '12345678910', '123123123', '111111111', '000000000', '987654321',
  'password', 'passw0rd', 'password1', 'password123', 'p@ssw0rd', 'p@ssword', 'passwordpassword', 'mypassword', 'secret', 'letmein',
  'welcome', 'welcome1', 'welcome123', 'admin', 'admin123', 'admin@123', 'administrator', 'root', 'toor', 'changeme', 'changeit',
  'qwerty', 'qwertyuiop', 'qwerty123', 'asdfghjkl', 'zxcvbnm', 'iloveyou', 'iloveyou123', 'sunshine', 'princess', 'football',
  'baseball', 'dragon', 'monkey', 'master', 'shadow', 'superman', 'batman', 'trustno1', 'starwars', 'whatever', 'abc123',
  'abcd1234', 'abcdef', 'aa123456', 'a123456789', 'default', 'guest', 'test', 'test1234', 'testtest', 'login', 'computer',
  'internet', 'google', 'samsung', 'apple', 'microsoft', 'correcthorsebatterystaple', 'letmein123', 'loveyou', 'hello123',
  'matkhau', 'matkhaumoi', 'matkhaucuatoi', 'matkhau123', 'toiyeuem', 'anhyeuem', 'emyeuanh', 'yeuem', 'yeuanh', 'vietnam',
  'vietnamvodich', 'hanoi', 'saigon', 'hochiminh', 'ninhbinh', 'hanam', 'nongthonmoi', 'ntm', 'datchuan', 'quantri',
  'quantrivien', 'quanly', 'canbo', 'canboxa', 'ubnd', 'ubndxa', 'ubndtinh', 'vanphong', 'vanphongdieuphoi', 'thanhtra',
  'kiemtoan', 'taikhoan', 'dangnhap', 'xinchao', 'chaoban', 'hoilamgi', 'khongbiet', 'motmaibala', 'baby123', 'nguyen',
  'nguyenvan', 'tran', 'le', 'pham', 'hoang', 'minhhoa', 'demo', 'demo123', 'user', 'user123', 'nguoidung',
];
