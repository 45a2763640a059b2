<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AgencyPinDialog</name>
    <message>
        <source>评审机构：%1</source>
        <translation>Agency: %1</translation>
    </message>
    <message>
        <source>核对无误，信任此机构</source>
        <translation>Fingerprints match — trust this agency</translation>
    </message>
    <message>
        <source>核对评审机构密钥</source>
        <translation>Check the agency key</translation>
    </message>
    <message>
        <source>这是您第一次收到该评审机构的批次。请将下面的机构密钥指纹与邀请函上印刷的指纹逐字核对。只有完全一致时才继续；以后来自该机构的批次必须使用同一密钥。</source>
        <translation>This is the first batch you receive from this agency. Compare the agency key fingerprint below with the one printed in your invitation letter, character by character. Continue only if they are identical; later batches from this agency must use the same key.</translation>
    </message>
    <message>
        <source>机构密钥指纹</source>
        <translation>Agency key fingerprint</translation>
    </message>
    <message>
        <source>我已核对，指纹与邀请函一致</source>
        <translation>I have compared it: the fingerprint matches the invitation letter</translation>
    </message>
</context>
<context>
    <name>BudgetPanel</name>
    <message>
        <source>研发能力建设项目预算（单位：元）</source>
        <translation>R&amp;D capacity project budget (CNY)</translation>
    </message>
    <message>
        <source>年度</source>
        <translation>Year</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>总投资</source>
        <translation>Total investment</translation>
    </message>
    <message>
        <source>市财政补助</source>
        <translation>City subsidy</translation>
    </message>
    <message>
        <source>预算表</source>
        <translation>Budget table</translation>
    </message>
    <message>
        <source>政策核查（自动）</source>
        <translation>Policy checks (automatic)</translation>
    </message>
    <message>
        <source>第 {year} 年</source>
        <translation>Year {year}</translation>
    </message>
    <message>
        <source>合计</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>{mark} {text}</source>
        <translation>{mark} {text}</translation>
    </message>
    <message>
        <source>通过：{text}</source>
        <translation>Passed: {text}</translation>
    </message>
    <message>
        <source>未通过：{text}</source>
        <translation>Failed: {text}</translation>
    </message>
</context>
<context>
    <name>ConflictsDialog</name>
    <message>
        <source>被评项目</source>
        <translation>Proposal</translation>
    </message>
    <message>
        <source>申请回避</source>
        <translation>Withdraw</translation>
    </message>
    <message>
        <source>回避情形</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>回避</source>
        <translation>Withdraw</translation>
    </message>
    <message>
        <source>对 %1 申请回避</source>
        <translation>Withdraw from %1</translation>
    </message>
    <message>
        <source>%1 的回避情形</source>
        <translation>Reason for withdrawing from %1</translation>
    </message>
    <message>
        <source>%1 的回避说明</source>
        <translation>Note on withdrawing from %1</translation>
    </message>
    <message>
        <source>选择“其他”时必填</source>
        <translation>Required for &quot;other&quot;</translation>
    </message>
    <message>
        <source>评审机构已确认回避</source>
        <translation>Conflict known to the agency</translation>
    </message>
    <message>
        <source>（请选择）</source>
        <translation>(choose)</translation>
    </message>
    <message>
        <source>请为每个申请回避的项目选择回避情形。</source>
        <translation>Choose a reason for every proposal you withdraw from.</translation>
    </message>
    <message>
        <source>选择“其他”时请填写说明。</source>
        <translation>Explain the conflict when choosing &quot;other&quot;.</translation>
    </message>
    <message>
        <source>回避声明</source>
        <translation>Conflicts of interest</translation>
    </message>
    <message>
        <source>请逐项声明您与每个被评项目是否存在需要回避的情形。申请回避的项目，材料不会打开，也不能评分。评审机构事先掌握的回避已标出，不能更改。</source>
        <translation>Declare for each proposal whether you have a conflict of interest and must withdraw. The documents of a proposal you withdraw from stay closed and it cannot be scored. Conflicts the agency already knows of are marked and cannot be changed.</translation>
    </message>
    <message>
        <source>回避声明表</source>
        <translation>Conflict declarations</translation>
    </message>
</context>
<context>
    <name>CriterionRow</name>
    <message>
        <source>{id}  {label}</source>
        <translation>{id}  {label}</translation>
    </message>
    <message>
        <source>满分 {max}</source>
        <translation>max {max}</translation>
    </message>
    <message>
        <source>第 {id} 项得分（满分 {max}）</source>
        <translation>Score for {id} (max {max})</translation>
    </message>
    <message>
        <source>不适用</source>
        <translation>N/A</translation>
    </message>
    <message>
        <source>第 {id} 项不适用</source>
        <translation>{id} not applicable</translation>
    </message>
    <message>
        <source>第 {id} 项评语</source>
        <translation>Comment on {id}</translation>
    </message>
    <message>
        <source>必填：请填写评语</source>
        <translation>Required: write a comment</translation>
    </message>
    <message>
        <source>评语（选填）</source>
        <translation>Comment (optional)</translation>
    </message>
    <message>
        <source>“{text}”不是有效分值：请输入 0 到 {max} 之间、以 {step} 为步长的分数。</source>
        <translation>&quot;{text}&quot; is not a valid score: enter a number from 0 to {max} in steps of {step}.</translation>
    </message>
    <message>
        <source>&lt;b&gt;评分要点&lt;/b&gt;：{text}</source>
        <translation>&lt;b&gt;What to look for&lt;/b&gt;: {text}</translation>
    </message>
    <message>
        <source>&lt;b&gt;{code} {label}&lt;/b&gt;（{min} 分及以上）：{text}</source>
        <translation>&lt;b&gt;{code} {label}&lt;/b&gt; ({min} points and up): {text}</translation>
    </message>
</context>
<context>
    <name>DocumentViewer</name>
    <message>
        <source>第 {page} 页  {text}</source>
        <translation>Page {page}  {text}</translation>
    </message>
    <message>
        <source>未选择申报项目</source>
        <translation>No proposal selected</translation>
    </message>
    <message>
        <source>申报材料</source>
        <translation>Documents</translation>
    </message>
    <message>
        <source>上一页</source>
        <translation>Previous page</translation>
    </message>
    <message>
        <source>下一页</source>
        <translation>Next page</translation>
    </message>
    <message>
        <source>页码</source>
        <translation>Page number</translation>
    </message>
    <message>
        <source>缩小</source>
        <translation>Zoom out</translation>
    </message>
    <message>
        <source>放大</source>
        <translation>Zoom in</translation>
    </message>
    <message>
        <source>适合宽度</source>
        <translation>Fit width</translation>
    </message>
    <message>
        <source>整页</source>
        <translation>Whole page</translation>
    </message>
    <message>
        <source>适合整页</source>
        <translation>Fit page</translation>
    </message>
    <message>
        <source>在文档中搜索（Ctrl+F）</source>
        <translation>Search the document (Ctrl+F)</translation>
    </message>
    <message>
        <source>在文档中搜索</source>
        <translation>Search the document</translation>
    </message>
    <message>
        <source>上一个结果（Shift+F3）</source>
        <translation>Previous result (Shift+F3)</translation>
    </message>
    <message>
        <source>下一个结果（F3）</source>
        <translation>Next result (F3)</translation>
    </message>
    <message>
        <source>文档页面</source>
        <translation>Document pages</translation>
    </message>
    <message>
        <source>页面缩略图</source>
        <translation>Page thumbnails</translation>
    </message>
    <message>
        <source>文档目录</source>
        <translation>Document outline</translation>
    </message>
    <message>
        <source>搜索结果</source>
        <translation>Search results</translation>
    </message>
    <message>
        <source>缩略图</source>
        <translation>Thumbnails</translation>
    </message>
    <message>
        <source>目录</source>
        <translation>Outline</translation>
    </message>
    <message>
        <source>侧栏</source>
        <translation>Side panel</translation>
    </message>
    <message>
        <source>文档提示</source>
        <translation>Document notice</translation>
    </message>
    <message>
        <source>本项目没有可查看的材料</source>
        <translation>This proposal has no documents to show</translation>
    </message>
    <message>
        <source>无结果</source>
        <translation>No results</translation>
    </message>
    <message>
        <source>第 {index}/{count} 处</source>
        <translation>Result {index} of {count}</translation>
    </message>
    <message>
        <source>共 {count} 处</source>
        <translation>{count} results</translation>
    </message>
    <message>
        <source>无法打开《{title}》：文件已损坏或不是有效的 PDF。请联系组织机构重新提供材料。</source>
        <translation>Cannot open &quot;{title}&quot;: the file is damaged or not a valid PDF. Ask the agency to send the documents again.</translation>
    </message>
    <message>
        <source>/ {count} 页</source>
        <translation>/ {count} pages</translation>
    </message>
</context>
<context>
    <name>EnrolmentExport</name>
    <message>
        <source>评审专家密钥登记表-%1-%2.pdf</source>
        <translation>Key-enrolment-sheet-%1-%2.pdf</translation>
    </message>
    <message>
        <source>本机保存的密钥与本批次登记的不一致，不能生成登记表。</source>
        <translation>The key stored on this computer differs from the one registered for this batch, so the enrolment sheet cannot be made.</translation>
    </message>
    <message>
        <source>密钥登记表已保存</source>
        <translation>Key enrolment sheet saved</translation>
    </message>
    <message>
        <source>评审专家密钥登记表已保存到：
%1

请打印并在签名栏手写签名后，交评审组织机构登记。</source>
        <translation>The key enrolment sheet was saved to:
%1

Print it, sign it by hand on the signature line and hand it to the agency for registration.</translation>
    </message>
    <message>
        <source>密钥登记表未能保存。</source>
        <translation>The key enrolment sheet could not be saved.</translation>
    </message>
    <message>
        <source>密钥登记表</source>
        <translation>Key enrolment sheet</translation>
    </message>
    <message>
        <source>保存密钥登记表</source>
        <translation>Save the key enrolment sheet</translation>
    </message>
    <message>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
</context>
<context>
    <name>ExpertApp</name>
    <message>
        <source>工作区已损坏</source>
        <translation>Workspace damaged</translation>
    </message>
    <message>
        <source>工作区数据库已损坏。是否从最近一次完好的备份恢复？
%1
损坏的文件会被保留。</source>
        <translation>The workspace database is damaged. Restore the newest good backup?
%1
The damaged file is kept.</translation>
    </message>
    <message>
        <source>无法读取文件：%1</source>
        <translation>Cannot read the file: %1</translation>
    </message>
    <message>
        <source>正在打开并核验批次文件…</source>
        <translation>Opening and verifying the batch…</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>打开批次</source>
        <translation>Open batch</translation>
    </message>
    <message>
        <source>无法打开该文件：%1</source>
        <translation>Cannot open this file: %1</translation>
    </message>
    <message>
        <source>该批次已加密给评审专家的密钥，但本机没有您的密钥。请向评审机构索取用口令加密的批次文件。</source>
        <translation>This batch is encrypted to an expert key, but there is no key of yours on this computer. Ask the agency for a batch encrypted with a passphrase.</translation>
    </message>
    <message>
        <source>拒绝打开：机构密钥已变化</source>
        <translation>Refused: the agency key has changed</translation>
    </message>
    <message>
        <source>该批次声称来自“%1”，但签名密钥与您此前核对并信任的密钥不同。

此前信任：%2
本文件：%3

这可能意味着文件被替换或伪造。请不要使用此文件，并通过邀请函上的电话与评审机构核实。</source>
        <translation>This batch claims to come from &quot;%1&quot;, but it is signed with a different key than the one you checked and trusted before.

Trusted before: %2
This file: %3

The file may have been replaced or forged. Do not use it, and call the agency on the number in your invitation letter.</translation>
    </message>
    <message>
        <source>正在生成并加密您的密钥…</source>
        <translation>Creating and encrypting your key…</translation>
    </message>
    <message>
        <source>正在解锁您的密钥…</source>
        <translation>Unlocking your key…</translation>
    </message>
    <message>
        <source>您的密钥指纹：%1</source>
        <translation>Your key fingerprint: %1</translation>
    </message>
    <message>
        <source>承诺人：%1（%2）  密钥：%3</source>
        <translation>Pledged by: %1 (%2)  Key: %3</translation>
    </message>
</context>
<context>
    <name>GuideDialog</name>
    <message>
        <source>专家使用指南</source>
        <translation>Guide for reviewers</translation>
    </message>
    <message>
        <source>使用指南</source>
        <translation>Guide</translation>
    </message>
</context>
<context>
    <name>IdentityDialog</name>
    <message>
        <source>本机已有您的签名密钥，下一步输入口令解锁。</source>
        <translation>Your signing key is on this computer; next you unlock it with its passphrase.</translation>
    </message>
    <message>
        <source>本机还没有您的签名密钥，下一步将为您创建。</source>
        <translation>There is no signing key for you on this computer yet; next it will be created.</translation>
    </message>
    <message>
        <source>选择您的身份</source>
        <translation>Who are you?</translation>
    </message>
    <message>
        <source>请在本批次的评审专家名单中选择您本人。</source>
        <translation>Choose yourself from the experts of this batch.</translation>
    </message>
    <message>
        <source>评审专家名单</source>
        <translation>Experts of this batch</translation>
    </message>
</context>
<context>
    <name>KeyDialog</name>
    <message>
        <source>%1，您好。本机将为您创建一把签名密钥，用于签署评分表。请设置一个只有您知道的口令（至少 10 个字符，混合字母、数字、符号或汉字）。</source>
        <translation>Hello %1. This computer will create a signing key for you, used to sign your score sheets. Choose a passphrase only you know (at least 10 characters, mixing letters, digits, symbols or Chinese characters).</translation>
    </message>
    <message>
        <source>创建密钥</source>
        <translation>Create key</translation>
    </message>
    <message>
        <source>解锁签名密钥</source>
        <translation>Unlock your signing key</translation>
    </message>
    <message>
        <source>%1，请输入您的密钥口令。</source>
        <translation>%1, type the passphrase of your key.</translation>
    </message>
    <message>
        <source>解锁</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <source>请输入口令。</source>
        <translation>Type the passphrase.</translation>
    </message>
    <message>
        <source>请确认您已知晓口令无法找回。</source>
        <translation>Confirm that you understand the passphrase cannot be recovered.</translation>
    </message>
    <message>
        <source>太弱</source>
        <translation>Too weak</translation>
    </message>
    <message>
        <source>弱</source>
        <translation>Weak</translation>
    </message>
    <message>
        <source>一般</source>
        <translation>Fair</translation>
    </message>
    <message>
        <source>较强</source>
        <translation>Good</translation>
    </message>
    <message>
        <source>强</source>
        <translation>Strong</translation>
    </message>
    <message>
        <source>创建签名密钥</source>
        <translation>Create your signing key</translation>
    </message>
    <message>
        <source>口令(&amp;P)</source>
        <translation>&amp;Passphrase</translation>
    </message>
    <message>
        <source>口令</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <source>再次输入(&amp;C)</source>
        <translation>&amp;Confirm</translation>
    </message>
    <message>
        <source>再次输入口令</source>
        <translation>Confirm the passphrase</translation>
    </message>
    <message>
        <source>强度</source>
        <translation>Strength</translation>
    </message>
    <message>
        <source>口令强度</source>
        <translation>Passphrase strength</translation>
    </message>
    <message>
        <source>重要：口令无法找回。忘记口令后，这把密钥将永久无法使用，需要向评审机构重新登记新密钥。请把口令记在安全的地方。</source>
        <translation>Important: the passphrase cannot be recovered. If you forget it, this key can never be used again and you must enrol a new key with the agency. Keep the passphrase somewhere safe.</translation>
    </message>
    <message>
        <source>我已知晓口令丢失后无法恢复</source>
        <translation>I understand a lost passphrase cannot be recovered</translation>
    </message>
</context>
<context>
    <name>KpiPanel</name>
    <message>
        <source>绩效目标</source>
        <translation>Performance targets</translation>
    </message>
    <message>
        <source>编号</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>指标</source>
        <translation>Indicator</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>目标值</source>
        <translation>Target</translation>
    </message>
    <message>
        <source>完成值</source>
        <translation>Achieved</translation>
    </message>
    <message>
        <source>完成率</source>
        <translation>Completion</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>绩效目标表</source>
        <translation>Performance target table</translation>
    </message>
    <message>
        <source>绩效目标完成情况</source>
        <translation>Targets achieved</translation>
    </message>
    <message>
        <source>越大越好</source>
        <translation>Higher is better</translation>
    </message>
    <message>
        <source>越小越好</source>
        <translation>Lower is better</translation>
    </message>
    <message>
        <source>绩效目标完成情况（计划与实际）</source>
        <translation>Performance targets (planned vs achieved)</translation>
    </message>
    <message>
        <source>绩效目标（计划）</source>
        <translation>Performance targets (planned)</translation>
    </message>
    <message>
        <source>申报材料未列出量化绩效目标。</source>
        <translation>The proposal lists no quantified targets.</translation>
    </message>
    <message>
        <source>共 {count} 项量化目标，完成值将在总结评估时填报。</source>
        <translation>{count} quantified targets; achieved values are reported at the term-end evaluation.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>保存状态</source>
        <translation>Save status</translation>
    </message>
    <message>
        <source>天津市技术创新中心 专家评审</source>
        <translation>Tianjin Technology Innovation Centers — Expert Review</translation>
    </message>
    <message>
        <source>密钥 %1</source>
        <translation>Key %1</translation>
    </message>
    <message>
        <source>您已对该项目申请回避：材料不予打开，也不能评分。</source>
        <translation>You withdrew from this proposal: its documents stay closed and it cannot be scored.</translation>
    </message>
    <message>
        <source>已回避 — 本项目不评分</source>
        <translation>Withdrawn — not scored</translation>
    </message>
    <message>
        <source>正在保存…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>已保存 %1</source>
        <translation>Saved %1</translation>
    </message>
    <message>
        <source>修改尚未保存，已保留在内存中，程序每隔几秒自动重试。请不要关闭程序。</source>
        <translation>Your changes are not saved yet; they are kept in memory and the application retries every few seconds. Do not close the application.</translation>
    </message>
    <message>
        <source>未保存</source>
        <translation>Not saved</translation>
    </message>
    <message>
        <source>专家评审</source>
        <translation>Expert review</translation>
    </message>
    <message>
        <source>评审专家</source>
        <translation>Expert</translation>
    </message>
    <message>
        <source>密钥指纹</source>
        <translation>Key fingerprint</translation>
    </message>
    <message>
        <source>审核并签名(&amp;G)…</source>
        <translation>Review and si&amp;gn…</translation>
    </message>
    <message>
        <source>审核并签名</source>
        <translation>Review and sign</translation>
    </message>
    <message>
        <source>立即重试(&amp;R)</source>
        <translation>&amp;Retry now</translation>
    </message>
    <message>
        <source>材料</source>
        <translation>Materials</translation>
    </message>
    <message>
        <source>建设方案</source>
        <translation>Construction plan</translation>
    </message>
    <message>
        <source>预算与政策核查</source>
        <translation>Budget and policy checks</translation>
    </message>
    <message>
        <source>绩效目标</source>
        <translation>Performance targets</translation>
    </message>
    <message>
        <source>评分表</source>
        <translation>Score sheet</translation>
    </message>
    <message>
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>评审(&amp;R)</source>
        <translation>&amp;Review</translation>
    </message>
    <message>
        <source>工具(&amp;T)</source>
        <translation>&amp;Tools</translation>
    </message>
    <message>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>打开批次文件(&amp;O)…</source>
        <translation>&amp;Open batch file…</translation>
    </message>
    <message>
        <source>返回开始页(&amp;S)</source>
        <translation>Back to the &amp;start page</translation>
    </message>
    <message>
        <source>退出(&amp;X)</source>
        <translation>E&amp;xit</translation>
    </message>
    <message>
        <source>下一个项目(&amp;N)</source>
        <translation>&amp;Next proposal</translation>
    </message>
    <message>
        <source>上一个项目(&amp;P)</source>
        <translation>&amp;Previous proposal</translation>
    </message>
    <message>
        <source>在材料中搜索(&amp;F)	Ctrl+F</source>
        <translation>&amp;Find in documents	Ctrl+F</translation>
    </message>
    <message>
        <source>回避声明(&amp;C)…</source>
        <translation>&amp;Conflicts of interest…</translation>
    </message>
    <message>
        <source>查看承诺书(&amp;L)…</source>
        <translation>View the p&amp;ledge…</translation>
    </message>
    <message>
        <source>打印密钥登记表(&amp;K)…</source>
        <translation>Print &amp;Key Enrolment Sheet…</translation>
    </message>
    <message>
        <source>将评审专家密钥登记表（姓名、密钥指纹、二维码、签名栏）保存为 PDF，打印签名后交评审组织机构</source>
        <translation>Save the expert key enrolment sheet (name, key fingerprint, QR code, signature line) as a PDF to print, sign and hand to the agency</translation>
    </message>
    <message>
        <source>设置(&amp;S)…</source>
        <translation>&amp;Settings…</translation>
    </message>
    <message>
        <source>使用指南(&amp;G)</source>
        <translation>&amp;Guide</translation>
    </message>
</context>
<context>
    <name>PassphraseDialog</name>
    <message>
        <source>输入口令</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <source>该批次文件已加密。请输入评审机构另行告知的口令。</source>
        <translation>This batch is encrypted. Type the passphrase the agency gave you separately.</translation>
    </message>
    <message>
        <source>口令</source>
        <translation>Passphrase</translation>
    </message>
</context>
<context>
    <name>PledgeDialog</name>
    <message>
        <source>接受承诺</source>
        <translation>Accept the pledge</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>评审专家承诺书</source>
        <translation>Reviewer&apos;s pledge</translation>
    </message>
    <message>
        <source>承诺书全文</source>
        <translation>Full text of the pledge</translation>
    </message>
    <message>
        <source>我已阅读并同意遵守以上承诺</source>
        <translation>I have read the pledge above and will keep it</translation>
    </message>
</context>
<context>
    <name>ProposalList</name>
    <message>
        <source>未开始</source>
        <translation>Not started</translation>
    </message>
    <message>
        <source>进行中</source>
        <translation>In progress</translation>
    </message>
    <message>
        <source>已完成</source>
        <translation>Complete</translation>
    </message>
    <message>
        <source>已签名</source>
        <translation>Signed</translation>
    </message>
    <message>
        <source>回避</source>
        <translation>Withdraw</translation>
    </message>
    <message>
        <source>筛选：名称、领域或编号</source>
        <translation>Filter: name, field or ID</translation>
    </message>
    <message>
        <source>筛选申报项目</source>
        <translation>Filter proposals</translation>
    </message>
    <message>
        <source>申报项目列表</source>
        <translation>Proposals</translation>
    </message>
    <message>
        <source>评审进度</source>
        <translation>Review progress</translation>
    </message>
    <message>
        <source>申报项目（{count}）</source>
        <translation>Proposals ({count})</translation>
    </message>
    <message>
        <source>已完成 {done}/{total}</source>
        <translation>Done {done}/{total}</translation>
    </message>
</context>
<context>
    <name>ReviewDialog</name>
    <message>
        <source>签名并导出评分表</source>
        <translation>Sign and export the score sheet</translation>
    </message>
    <message>
        <source>项目编号</source>
        <translation>Proposal no.</translation>
    </message>
    <message>
        <source>中心名称</source>
        <translation>Center</translation>
    </message>
    <message>
        <source>总分</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>分档</source>
        <translation>Band</translation>
    </message>
    <message>
        <source>结论</source>
        <translation>Conclusion</translation>
    </message>
    <message>
        <source>尚缺内容</source>
        <translation>Still missing</translation>
    </message>
    <message>
        <source>导出进度</source>
        <translation>Export progress</translation>
    </message>
    <message>
        <source>导出到：</source>
        <translation>Export to:</translation>
    </message>
    <message>
        <source>请选择导出文件夹（如 U 盘）</source>
        <translation>Choose the export folder (e.g. a USB stick)</translation>
    </message>
    <message>
        <source>选择文件夹…</source>
        <translation>Choose folder…</translation>
    </message>
    <message>
        <source>打印密钥登记表…</source>
        <translation>Print Key Enrolment Sheet…</translation>
    </message>
    <message>
        <source>保存评审专家密钥登记表（PDF），打印签名后交评审组织机构</source>
        <translation>Save the key enrolment sheet (PDF) to print, sign and hand to the agency</translation>
    </message>
    <message>
        <source>修订</source>
        <translation>Revise</translation>
    </message>
    <message>
        <source>解除锁定以修改评分；修改后须重新签名，生成新的版本。</source>
        <translation>Unlock to change scores; the changes must be signed again as a new revision.</translation>
    </message>
    <message>
        <source>签名并导出…</source>
        <translation>Sign and export…</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>回避</source>
        <translation>Recused</translation>
    </message>
    <message>
        <source>已申请回避，不评分</source>
        <translation>Recused: not scored</translation>
    </message>
    <message>
        <source>共 %1 个项目：已完成 %2，回避 %3，未完成 %4。</source>
        <translation>%1 proposals: %2 complete, %3 recused, %4 incomplete.</translation>
    </message>
    <message>
        <source>评分表已签名（第 %1 版），已锁定为只读。如需修改，请点击“修订”。</source>
        <translation>The score sheet is signed (revision %1) and locked read-only. To change it, click “Revise”.</translation>
    </message>
    <message>
        <source>全部评分已完成，可以签名。签名后生成第 %1 版评分表。</source>
        <translation>All scoring is complete and can be signed. Signing makes revision %1 of the score sheet.</translation>
    </message>
    <message>
        <source>正在生成密钥登记表…</source>
        <translation>Making the key enrolment sheet…</translation>
    </message>
    <message>
        <source>完整</source>
        <translation>Complete</translation>
    </message>
    <message>
        <source>……共 %1 处</source>
        <translation>… %1 in all</translation>
    </message>
    <message>
        <source>不能签名</source>
        <translation>Cannot sign</translation>
    </message>
    <message>
        <source>正在解锁密钥…</source>
        <translation>Unlocking your key…</translation>
    </message>
    <message>
        <source>导出失败</source>
        <translation>Export failed</translation>
    </message>
    <message>
        <source>正在生成 PDF、签名、加密、写入并核验评分表（第 %1 版）…</source>
        <translation>Making the PDFs, signing, encrypting, writing and verifying the score sheet (revision %1)…</translation>
    </message>
    <message>
        <source>导出完成</source>
        <translation>Export complete</translation>
    </message>
    <message>
        <source>内部错误：%1</source>
        <translation>Internal error: %1</translation>
    </message>
    <message>
        <source>请输入您的密钥口令，用于对评分表签名。</source>
        <translation>Enter your key passphrase to sign the score sheet.</translation>
    </message>
    <message>
        <source>选择导出文件夹</source>
        <translation>Choose the export folder</translation>
    </message>
</context>
<context>
    <name>ScoringForm</name>
    <message>
        <source>技术专家</source>
        <translation>technical expert</translation>
    </message>
    <message>
        <source>财务专家</source>
        <translation>finance expert</translation>
    </message>
    <message>
        <source>管理专家</source>
        <translation>management expert</translation>
    </message>
    <message>
        <source>总分</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>建议结论</source>
        <translation>Suggested conclusion</translation>
    </message>
    <message>
        <source>显示各等级说明</source>
        <translation>Show level descriptors</translation>
    </message>
    <message>
        <source>待完成事项</source>
        <translation>Still to do</translation>
    </message>
    <message>
        <source>否决项（任一项为“是”，结论为“{worst}”）</source>
        <translation>Veto questions (any &quot;yes&quot; means &quot;{worst}&quot;)</translation>
    </message>
    <message>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <source>{question}：是</source>
        <translation>{question}: yes</translation>
    </message>
    <message>
        <source>{question}：否</source>
        <translation>{question}: no</translation>
    </message>
    <message>
        <source>{id}  {label}</source>
        <translation>{id}  {label}</translation>
    </message>
    <message>
        <source>本部分满分 {max} 分</source>
        <translation>Section maximum {max} points</translation>
    </message>
    <message>
        <source>评审结论</source>
        <translation>Conclusion</translation>
    </message>
    <message>
        <source>{label}（总分 {min} 分及以上）</source>
        <translation>{label} (total {min} and up)</translation>
    </message>
    <message>
        <source>结论：{label}</source>
        <translation>Conclusion: {label}</translation>
    </message>
    <message>
        <source>评审意见</source>
        <translation>Opinion</translation>
    </message>
    <message>
        <source>{label}（必填）</source>
        <translation>{label} (required)</translation>
    </message>
    <message>
        <source>版本 {version}</source>
        <translation>Version {version}</translation>
    </message>
    <message>
        <source>本项由{roles}评分，您无需填写。</source>
        <translation>Scored by {roles}; you need not fill it in.</translation>
    </message>
    <message>
        <source>小计 {total} / {max}</source>
        <translation>Subtotal {total} / {max}</translation>
    </message>
    <message>
        <source>已由得分自动触发</source>
        <translation>Triggered by the scores</translation>
    </message>
    <message>
        <source>已触发</source>
        <translation>Triggered</translation>
    </message>
    <message>
        <source>总分 {total} / 100</source>
        <translation>Total {total} / 100</translation>
    </message>
    <message>
        <source>已评 {scored}/{count} 项</source>
        <translation>{scored}/{count} scored</translation>
    </message>
    <message>
        <source>按适用项折算：原始得分 {raw} / {max}</source>
        <translation>Rescaled over applicable items: raw {raw} / {max}</translation>
    </message>
    <message>
        <source>{scored} · 建议结论：{conclusion}</source>
        <translation>{scored} · suggested conclusion: {conclusion}</translation>
    </message>
    <message>
        <source>✔ 评分表已填写完整</source>
        <translation>✔ The score sheet is complete</translation>
    </message>
    <message>
        <source>尚有 {count} 项待完成（点击定位）</source>
        <translation>{count} items still to do (click to go there)</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>界面语言(&amp;L)</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <source>界面语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>使用大号字体(&amp;F)</source>
        <translation>Larger &amp;font</translation>
    </message>
</context>
<context>
    <name>StartPage</name>
    <message>
        <source>打开批次文件</source>
        <translation>Open batch file</translation>
    </message>
    <message>
        <source>打开演示批次</source>
        <translation>Open the demo batch</translation>
    </message>
    <message>
        <source>评审批次 (*.ticbatch);;所有文件 (*)</source>
        <translation>Review batches (*.ticbatch);;All files (*)</translation>
    </message>
    <message>
        <source>天津市技术创新中心 专家评审</source>
        <translation>Tianjin Technology Innovation Centers — Expert Review</translation>
    </message>
    <message>
        <source>打开评审机构发来的批次文件（.ticbatch）开始评审。全程离线，评分随时自动保存。</source>
        <translation>Open the batch file (.ticbatch) from the agency to start reviewing. Everything works offline and every score is saved as you go.</translation>
    </message>
    <message>
        <source>打开批次文件(&amp;O)…</source>
        <translation>&amp;Open batch file…</translation>
    </message>
    <message>
        <source>打开演示批次(&amp;D)</source>
        <translation>Open the &amp;demo batch</translation>
    </message>
    <message>
        <source>也可以把批次文件直接拖到此窗口中。</source>
        <translation>You can also drag a batch file onto this window.</translation>
    </message>
    <message>
        <source>最近打开的批次</source>
        <translation>Recent batches</translation>
    </message>
</context>
<context>
    <name>crash</name>
    <message>
        <source>程序错误</source>
        <translation>Application error</translation>
    </message>
    <message>
        <source>程序遇到了意外错误。截至最近一次“已保存”的所有内容都是安全的。

请重新启动程序；如果问题重复出现，请将日志文件夹中的文件发给评审机构。</source>
        <translation>The application hit an unexpected error. Everything up to the last &quot;Saved&quot; is safe.

Restart the application; if it happens again, send the files in the log folder to the agency.</translation>
    </message>
</context>
<context>
    <name>roles</name>
    <message>
        <source>技术专家</source>
        <translation>technical expert</translation>
    </message>
    <message>
        <source>财务专家</source>
        <translation>finance expert</translation>
    </message>
    <message>
        <source>管理专家</source>
        <translation>management expert</translation>
    </message>
    <message>
        <source>，专家组组长</source>
        <translation>, panel chair</translation>
    </message>
    <message>
        <source>%1（%2）</source>
        <translation>%1 (%2)</translation>
    </message>
</context>
</TS>
