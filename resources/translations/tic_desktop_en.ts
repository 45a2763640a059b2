<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AddBatchesDialog</name>
    <message>
        <source>加入批次</source>
        <translation>Add batches</translation>
    </message>
    <message>
        <source>勾选要加入本轮的专家组批次（一个批次只能属于一个评审轮次）：</source>
        <translation>Check the panels&apos; batches to add to this round (a batch belongs to one round only):</translation>
    </message>
    <message>
        <source>可加入的批次</source>
        <translation>Batches that can be added</translation>
    </message>
    <message>
        <source>没有可加入的批次：请先在“生成批次”页生成各专家组的批次。</source>
        <translation>No batch to add: build the panels&apos; batches on the “Build batch” page first.</translation>
    </message>
    <message>
        <source>加入</source>
        <translation>Add</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>AgencyContext</name>
    <message>
        <source>出现意外错误：%1</source>
        <translation>Unexpected error: %1</translation>
    </message>
</context>
<context>
    <name>AgencyKeysPage</name>
    <message>
        <source>机构密钥</source>
        <translation>Agency keys</translation>
    </message>
    <message>
        <source>机构密钥用于签名发给专家的批次文件，并解密专家交回的评分表。密钥指纹要印在专家邀请函上，专家第一次打开批次时据此核对。请在生成后立即备份：密钥丢失后将无法解密已交回的评分表。</source>
        <translation>The agency keys sign the batch files sent to the experts and decrypt the score sheets they return. Print the key fingerprint in the invitation letter: experts compare it when they first open a batch. Back the keys up right after creating them: without them returned score sheets cannot be decrypted.</translation>
    </message>
    <message>
        <source>机构名称：</source>
        <translation>Agency name:</translation>
    </message>
    <message>
        <source>例如：天津市科学技术评估中心</source>
        <translation>e.g. Tianjin Science and Technology Evaluation Center</translation>
    </message>
    <message>
        <source>机构名称</source>
        <translation>Agency name</translation>
    </message>
    <message>
        <source>生成机构密钥</source>
        <translation>Create agency keys</translation>
    </message>
    <message>
        <source>本机还没有机构密钥。请设置机构密钥的口令（至少 10 个字符，混合字母、数字、符号或汉字）：签名密钥和解密评分表的 agency.agekey 都用它加密保存，每次启动后第一次使用时输入一次。也可以从以前的备份恢复。</source>
        <translation>There are no agency keys on this computer yet. Set the agency key passphrase (at least 10 characters, mixing letters, digits, symbols or Chinese characters): the signing key and agency.agekey, which decrypts the score sheets, are both stored encrypted under it; you enter it once per session, the first time the keys are needed. You can also restore an earlier backup.</translation>
    </message>
    <message>
        <source>从备份恢复…</source>
        <translation>Restore from backup…</translation>
    </message>
    <message>
        <source>本机构密钥</source>
        <translation>This agency&apos;s keys</translation>
    </message>
    <message>
        <source>签名密钥指纹（请印在专家邀请函上）：</source>
        <translation>Signing key fingerprint (print it in the invitation letter):</translation>
    </message>
    <message>
        <source>签名密钥指纹</source>
        <translation>Signing key fingerprint</translation>
    </message>
    <message>
        <source>复制指纹</source>
        <translation>Copy fingerprint</translation>
    </message>
    <message>
        <source>打印指纹（PDF）…</source>
        <translation>Print fingerprint (PDF)…</translation>
    </message>
    <message>
        <source>备份密钥…</source>
        <translation>Back up keys…</translation>
    </message>
    <message>
        <source>恢复备份…</source>
        <translation>Restore backup…</translation>
    </message>
    <message>
        <source>原样：%1</source>
        <translation>As is: %1</translation>
    </message>
    <message>
        <source>评分表加密公钥：%1</source>
        <translation>Score sheet encryption key: %1</translation>
    </message>
    <message>
        <source>签名密钥和 agency.agekey 均已用机构密钥口令加密保存。</source>
        <translation>The signing key and agency.agekey are both stored encrypted under the agency key passphrase.</translation>
    </message>
    <message>
        <source>演示密钥（仅供演示）：按设计未加口令，不得用于真实评审。</source>
        <translation>DEMO-ONLY keys: left without a passphrase by design; never use them for a real review.</translation>
    </message>
    <message>
        <source>警告：agency.agekey 未用口令保护，任何拿到该文件的人都能解密评分表。请生成带口令的新密钥，或恢复一份带口令的备份。</source>
        <translation>Warning: agency.agekey is not protected by a passphrase; whoever gets the file can decrypt the score sheets. Create new keys with a passphrase, or restore a protected backup.</translation>
    </message>
    <message>
        <source>无法读写文件：%1</source>
        <translation>Cannot read or write the file: %1</translation>
    </message>
    <message>
        <source>正在生成机构密钥…</source>
        <translation>Creating the agency keys…</translation>
    </message>
    <message>
        <source>机构密钥已生成。请立即点击“备份密钥…”做一份离线备份，并打印指纹附在邀请函中。</source>
        <translation>The agency keys were created. Click “Back up keys…” now to make an offline backup, and print the fingerprint for the invitation letter.</translation>
    </message>
    <message>
        <source>指纹已复制。</source>
        <translation>Fingerprint copied.</translation>
    </message>
    <message>
        <source>请先填写机构名称，它会印在指纹页上。</source>
        <translation>Enter the agency name first; it is printed on the fingerprint page.</translation>
    </message>
    <message>
        <source>保存机构密钥指纹页</source>
        <translation>Save the agency key fingerprint page</translation>
    </message>
    <message>
        <source>机构密钥指纹.pdf</source>
        <translation>agency-key-fingerprint.pdf</translation>
    </message>
    <message>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <source>指纹页已保存到：%1。请打印后附在专家邀请函中。</source>
        <translation>Fingerprint page saved to: %1. Print it and enclose it with the invitation letter.</translation>
    </message>
    <message>
        <source>保存密钥备份</source>
        <translation>Save the key backup</translation>
    </message>
    <message>
        <source>机构密钥备份 (*.tickeys)</source>
        <translation>Agency key backups (*.tickeys)</translation>
    </message>
    <message>
        <source>正在加密并写入备份…</source>
        <translation>Encrypting and writing the backup…</translation>
    </message>
    <message>
        <source>备份已写入并核对：%1。请把它存到离线介质（如 U 盘）并妥善保管，口令另行保存。</source>
        <translation>Backup written and checked: %1. Store it on offline media (e.g. a USB stick) in a safe place, and keep the passphrase separately.</translation>
    </message>
    <message>
        <source>选择密钥备份文件</source>
        <translation>Choose the key backup file</translation>
    </message>
    <message>
        <source>机构密钥备份 (*.tickeys);;所有文件 (*)</source>
        <translation>Agency key backups (*.tickeys);;All files (*)</translation>
    </message>
    <message>
        <source>请输入备份“%1”的口令：</source>
        <translation>Enter the passphrase of the backup “%1”:</translation>
    </message>
    <message>
        <source>恢复机构密钥</source>
        <translation>Restore agency keys</translation>
    </message>
    <message>
        <source>正在解密备份…</source>
        <translation>Decrypting the backup…</translation>
    </message>
    <message>
        <source>本机已有另一套机构密钥（指纹 %1）。

换用备份中的密钥后，用原密钥签名的批次和加密给原密钥的评分表将需要原密钥才能使用；原密钥会被移到旁边的文件夹保留，不会删除。

确定要替换吗？</source>
        <translation>Other agency keys are already on this computer (fingerprint %1).

After switching to the backup&apos;s keys, batches signed with the present key and score sheets encrypted to it need the present key again; it is moved to a folder beside it, not deleted.

Replace the keys?</translation>
    </message>
    <message>
        <source>替换机构密钥</source>
        <translation>Replace agency keys</translation>
    </message>
    <message>
        <source>未替换：本机的机构密钥保持不变。</source>
        <translation>Not replaced: the agency keys on this computer are unchanged.</translation>
    </message>
    <message>
        <source>机构密钥已从备份恢复，指纹：%1</source>
        <translation>Agency keys restored from the backup; fingerprint: %1</translation>
    </message>
</context>
<context>
    <name>AgencyPages</name>
    <message>
        <source>导入评分表</source>
        <translation>Import sheets</translation>
    </message>
    <message>
        <source>汇总结果</source>
        <translation>Results</translation>
    </message>
    <message>
        <source>专家组意见</source>
        <translation>Panel opinion</translation>
    </message>
    <message>
        <source>评审轮次</source>
        <translation>Evaluation round</translation>
    </message>
</context>
<context>
    <name>AgencyPinDialog</name>
    <message>
        <source>核对新的评审机构密钥</source>
        <translation>Check the new agency key</translation>
    </message>
    <message>
        <source>评审机构：%1</source>
        <translation>Agency: %1</translation>
    </message>
    <message>
        <source>核对评审机构密钥（演示）</source>
        <translation>Check the agency key (demo)</translation>
    </message>
    <message>
        <source>演示：这是公开的演示机构密钥，只在单独的演示工作区中信任，在您的正式工作区中一律拒绝。</source>
        <translation>Demo: this is the public DEMO agency key; it is trusted only in the separate demo workspace and always refused in your real workspace.</translation>
    </message>
    <message>
        <source>这是一把新的机构密钥：它不是您此前核对并信任的任何机构密钥（%1）。名称相似并不代表是同一机构，只有指纹与邀请函上印的逐字一致时才能信任。</source>
        <translation>This is a new agency key: it is none of the agency keys you checked and trusted before (%1). A similar name does not make it the same agency; trust it only if the fingerprint matches the invitation letter character for character.</translation>
    </message>
    <message>
        <source>这是一把新的机构密钥：本机尚未信任任何评审机构。</source>
        <translation>This is a new agency key: this computer trusts no agency yet.</translation>
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
    <name>AgencyWindow</name>
    <message>
        <source>机构密钥</source>
        <translation>Agency keys</translation>
    </message>
    <message>
        <source>生成批次</source>
        <translation>Build batch</translation>
    </message>
    <message>
        <source>天津市技术创新中心 机构汇总</source>
        <translation>Tianjin Technology Innovation Centers — Agency</translation>
    </message>
    <message>
        <source>（演示）</source>
        <translation> (demo)</translation>
    </message>
    <message>
        <source>当前批次：</source>
        <translation>Current batch:</translation>
    </message>
    <message>
        <source>当前批次</source>
        <translation>Current batch</translation>
    </message>
    <message>
        <source>功能导航</source>
        <translation>Navigation</translation>
    </message>
    <message>
        <source>机构(&amp;A)</source>
        <translation>&amp;Agency</translation>
    </message>
    <message>
        <source>切换到专家评审(&amp;E)</source>
        <translation>Switch to &amp;expert review</translation>
    </message>
    <message>
        <source>退出(&amp;Q)</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>转到(&amp;G)</source>
        <translation>&amp;Go</translation>
    </message>
    <message>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>使用指南(&amp;G)</source>
        <translation>&amp;Guide</translation>
    </message>
    <message>
        <source>机构密钥（agency.agekey）受口令保护。请输入机构密钥口令，本次运行期间只需输入一次：</source>
        <translation>The agency keys (agency.agekey) are protected by a passphrase. Enter the agency key passphrase; it is asked only once while the app runs:</translation>
    </message>
    <message>
        <source>解锁机构密钥</source>
        <translation>Unlock the agency keys</translation>
    </message>
    <message>
        <source>%1（%2 个项目，%3 位专家）</source>
        <translation>%1 (%2 proposals, %3 experts)</translation>
    </message>
    <message>
        <source>尚无批次：请在“生成批次”页生成</source>
        <translation>No batch yet: build one on the “Build batch” page</translation>
    </message>
</context>
<context>
    <name>ArchiveExport</name>
    <message>
        <source>归档中 %p%</source>
        <translation>Archiving %p%</translation>
    </message>
    <message>
        <source>导出归档包…</source>
        <translation>Export archive…</translation>
    </message>
    <message>
        <source>把本批次的批次文件、全部评分表版本、导入和审计日志、决定、专家组意见和报告写成一个由机构密钥签名的归档包（.ticarchive）</source>
        <translation>Write the batch file, every sheet revision, the import and audit logs, the decisions, the panel opinions and the reports of this batch into one archive signed with the agency key (.ticarchive)</translation>
    </message>
    <message>
        <source>导出归档包失败</source>
        <translation>Archive export failed</translation>
    </message>
    <message>
        <source>导出归档包</source>
        <translation>Export archive</translation>
    </message>
    <message>
        <source>归档包 (*.ticarchive)</source>
        <translation>Archive (*.ticarchive)</translation>
    </message>
    <message>
        <source>归档包已导出</source>
        <translation>Archive exported</translation>
    </message>
    <message>
        <source>已写入并核验归档包：%1（%2 个文件）</source>
        <translation>Archive written and verified: %1 (%2 files)</translation>
    </message>
    <message>
        <source>签名密钥指纹：%1
核验：tic-desktop archive verify %2 --expect-fingerprint %1</source>
        <translation>Signing key fingerprint: %1
Check it with: tic-desktop archive verify %2 --expect-fingerprint %1</translation>
    </message>
    <message>
        <source>打开文件夹</source>
        <translation>Open folder</translation>
    </message>
</context>
<context>
    <name>BackupPassphraseDialog</name>
    <message>
        <source>设置备份口令</source>
        <translation>Set the backup passphrase</translation>
    </message>
    <message>
        <source>备份文件将用此口令加密。请设置一个与密钥口令不同、只有保管人知道的口令，并把口令与备份文件分开保存（例如口令封存在信封中）。口令遗忘后备份无法打开。</source>
        <translation>The backup file is encrypted with this passphrase. Choose one that differs from the key passphrase and that only its keeper knows, and keep it apart from the backup (e.g. sealed in an envelope). A forgotten passphrase cannot be recovered.</translation>
    </message>
    <message>
        <source>备份</source>
        <translation>Back up</translation>
    </message>
</context>
<context>
    <name>BatchExportStep</name>
    <message>
        <source>生成与核对</source>
        <translation>Build and check</translation>
    </message>
    <message>
        <source>已写入的文件</source>
        <translation>Files written</translation>
    </message>
</context>
<context>
    <name>BatchOutputStep</name>
    <message>
        <source>选择输出方式</source>
        <translation>Choose the output</translation>
    </message>
    <message>
        <source>文件</source>
        <translation>Files</translation>
    </message>
    <message>
        <source>整个专家组一个批次文件</source>
        <translation>One batch file for the whole panel</translation>
    </message>
    <message>
        <source>每位专家一个文件（文件名含专家编号，便于分别发送）</source>
        <translation>One file per expert (the name holds the expert id, to send them separately)</translation>
    </message>
    <message>
        <source>每个专家组一个批次（按专家表的“专家组”列拆分，各组只含本组的专家和项目）</source>
        <translation>One batch per panel (split by the experts table&apos;s 专家组 column; each holds only its panel&apos;s experts and proposals)</translation>
    </message>
    <message>
        <source>每位专家的文件内容完全相同（同一份签名清单），只是分别写出，因此所有评分表都对应同一个批次，汇总不受影响。专家表有“专家组”列时，可按组拆分：每组一个批次（编号加“-P序号”），各组的评分表分别汇总。</source>
        <translation>Every expert&apos;s file holds the same signed batch (one manifest), only written separately, so all score sheets refer to one batch and consolidation is unaffected. When the experts table has a 专家组 (panel) column, the source is split by panel: one batch per panel (its id gets a “-P&lt;n&gt;” suffix), each panel&apos;s sheets consolidated on their own.</translation>
    </message>
    <message>
        <source>加密</source>
        <translation>Encryption</translation>
    </message>
    <message>
        <source>不加密（请通过安全渠道传递文件）</source>
        <translation>Not encrypted (send the files through a safe channel)</translation>
    </message>
    <message>
        <source>用口令加密</source>
        <translation>Encrypt with a passphrase</translation>
    </message>
    <message>
        <source>批次口令</source>
        <translation>Batch passphrase</translation>
    </message>
    <message>
        <source>再次输入批次口令</source>
        <translation>Batch passphrase again</translation>
    </message>
    <message>
        <source>批次口令：</source>
        <translation>Batch passphrase:</translation>
    </message>
    <message>
        <source>再次输入：</source>
        <translation>Again:</translation>
    </message>
    <message>
        <source>口令请通过电话或短信另行告知专家，不要与批次文件一起发送。专家表格中没有专家的加密公钥（专家的密钥在其第一次打开批次时才生成），因此不提供“加密给专家密钥”。</source>
        <translation>Tell the experts the passphrase separately, by phone or text message, never together with the batch file. The experts table holds no expert encryption keys (experts make their keys when they first open a batch), so encrypting to the experts&apos; keys is not offered.</translation>
    </message>
    <message>
        <source>输出文件夹与签名</source>
        <translation>Output folder and signing</translation>
    </message>
    <message>
        <source>输出文件夹</source>
        <translation>Output folder</translation>
    </message>
    <message>
        <source>选择…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>输出文件夹：</source>
        <translation>Output folder:</translation>
    </message>
    <message>
        <source>机构签名密钥口令</source>
        <translation>Agency signing key passphrase</translation>
    </message>
    <message>
        <source>机构密钥口令：</source>
        <translation>Agency key passphrase:</translation>
    </message>
</context>
<context>
    <name>BatchReviewStep</name>
    <message>
        <source>核对读取结果</source>
        <translation>Check what was read</translation>
    </message>
    <message>
        <source>申报项目</source>
        <translation>Proposals</translation>
    </message>
    <message>
        <source>专家</source>
        <translation>Experts</translation>
    </message>
    <message>
        <source>批次：%1（%2）· 评审类型：%3 · 组织机构：%4 · %5 个申报项目，%6 位专家，%7 份 PDF 材料</source>
        <translation>Batch: %1 (%2) · kind: %3 · agency: %4 · %5 proposals, %6 experts, %7 PDF documents</translation>
    </message>
    <message>
        <source>读取时发现以下错误。请按提示修改表格后，点击“上一步”重新读取。下面是表格的原始内容，出错的行以红色标出。</source>
        <translation>Reading found the mistake below. Correct the table as described, then click “Back” and read it again. The tables are shown as written; the wrong row is marked in red.</translation>
    </message>
    <message>
        <source>行号</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>编号</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>中心名称</source>
        <translation>Center</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>依托单位</source>
        <translation>Host unit</translation>
    </message>
    <message>
        <source>技术领域</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>评分表</source>
        <translation>Forms</translation>
    </message>
    <message>
        <source>材料</source>
        <translation>Documents</translation>
    </message>
    <message>
        <source>（无）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>专家组</source>
        <translation>Panel</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>职称</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>评审项目</source>
        <translation>Assigned</translation>
    </message>
    <message>
        <source>回避项目</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <source>全部（%1）</source>
        <translation>All (%1)</translation>
    </message>
</context>
<context>
    <name>BatchSourceStep</name>
    <message>
        <source>选择批次源文件夹</source>
        <translation>Choose the batch source folder</translation>
    </message>
    <message>
        <source>源文件夹中应有：batch（批次信息）、proposals（申报项目）、experts（专家）表格（CSV 或 XLSX），可选 budget（预算）、kpis（绩效指标），以及 proposals/&lt;项目编号&gt;/ 下的 PDF 申报材料。表头可用中文或英文列名。</source>
        <translation>The source folder holds the batch, proposals and experts tables (CSV or XLSX), optionally budget and kpis, and the PDF documents in proposals/&lt;proposal id&gt;/. Headers may be in Chinese or English.</translation>
    </message>
    <message>
        <source>批次源文件夹</source>
        <translation>Batch source folder</translation>
    </message>
    <message>
        <source>批次源文件夹的路径</source>
        <translation>Path of the batch source folder</translation>
    </message>
    <message>
        <source>选择文件夹…</source>
        <translation>Choose folder…</translation>
    </message>
</context>
<context>
    <name>BatchWizard</name>
    <message>
        <source>本步内容</source>
        <translation>This step</translation>
    </message>
    <message>
        <source>上一步</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>下一步</source>
        <translation>Next</translation>
    </message>
    <message>
        <source>选择批次源文件夹</source>
        <translation>Choose the batch source folder</translation>
    </message>
    <message>
        <source>第 %1 步，共 4 步</source>
        <translation>Step %1 of 4</translation>
    </message>
    <message>
        <source>请选择批次源文件夹。</source>
        <translation>Choose the batch source folder.</translation>
    </message>
    <message>
        <source>源文件有错误，请修改表格后点击“上一步”重新读取。</source>
        <translation>The source has a mistake: correct the table, then click “Back” and read it again.</translation>
    </message>
    <message>
        <source>请设置批次口令。</source>
        <translation>Set a passphrase for the batch.</translation>
    </message>
    <message>
        <source>请选择输出文件夹。</source>
        <translation>Choose the output folder.</translation>
    </message>
    <message>
        <source>请输入机构签名密钥的口令。</source>
        <translation>Enter the passphrase of the agency signing key.</translation>
    </message>
    <message>
        <source>读取</source>
        <translation>Read</translation>
    </message>
    <message>
        <source>生成批次文件</source>
        <translation>Build batch files</translation>
    </message>
    <message>
        <source>再生成一批</source>
        <translation>Build another batch</translation>
    </message>
    <message>
        <source>正在读取源文件夹…</source>
        <translation>Reading the source folder…</translation>
    </message>
    <message>
        <source>无法读写文件：%1</source>
        <translation>Cannot read or write the file: %1</translation>
    </message>
    <message>
        <source>覆盖文件</source>
        <translation>Overwrite files</translation>
    </message>
    <message>
        <source>输出文件夹中已有 %1 个同名文件（如 %2）。要覆盖吗？</source>
        <translation>The output folder already holds %1 file(s) with these names (e.g. %2). Overwrite them?</translation>
    </message>
    <message>
        <source>正在签名并写入批次文件，每个文件写入后都会重新读取核对…</source>
        <translation>Signing and writing the batch files; each file is read back and checked after writing…</translation>
    </message>
    <message>
        <source>完成。</source>
        <translation>Done.</translation>
    </message>
    <message>
        <source>已用口令加密</source>
        <translation>passphrase-encrypted</translation>
    </message>
    <message>
        <source>未加密</source>
        <translation>not encrypted</translation>
    </message>
    <message>
        <source>已写入 %1 个批次文件（%2），每个文件都已重新读取并核对签名与内容：</source>
        <translation>%1 batch file(s) written (%2); each was read back and its signature and content checked:</translation>
    </message>
    <message>
        <source>请把口令另行告知专家（电话或短信），不要与文件一起发送。</source>
        <translation>Tell the experts the passphrase separately (phone or text message), never with the file.</translation>
    </message>
    <message>
        <source>该批次已加入机构工作区，可在上方“当前批次”中选择。</source>
        <translation>The batch was added to the agency workspace; choose it under “Current batch” above.</translation>
    </message>
    <message>
        <source>未能加入机构工作区：%1</source>
        <translation>Could not add it to the agency workspace: %1</translation>
    </message>
    <message>
        <source>未能生成批次文件。</source>
        <translation>The batch files were not built.</translation>
    </message>
    <message>
        <source>选择输出文件夹</source>
        <translation>Choose the output folder</translation>
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
        <source>预算与政策核查</source>
        <translation>Budget and policy checks</translation>
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
        <source>不适用：市财政补助政策核查（不高于总投资 30%、每年不超过 500 万元、连续支持 3 年）只适用于综合性技术创新中心研发创新能力建设项目的方案论证。</source>
        <translation>Not applicable: the city-subsidy policy checks (at most 30% of the total investment, 5 M CNY a year, 3 consecutive years) apply only to a comprehensive center&apos;s R&amp;D capacity project at the feasibility review.</translation>
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
    <name>ConflictDialog</name>
    <message>
        <source>处理评分表冲突</source>
        <translation>Resolve a score sheet conflict</translation>
    </message>
    <message>
        <source>专家 %1（%2）有两份不同的第 %3 版评分表。请向专家核实后选择计入汇总的一份；另一份仍保留在历史记录中。</source>
        <translation>Expert %1 (%2) sent two different sheets numbered revision %3. Check with the expert, then choose the one that counts; the other stays in the history.</translation>
    </message>
    <message>
        <source>%1 · 导入于 %2 · 摘要 %3…</source>
        <translation>%1 · imported %2 · digest %3…</translation>
    </message>
    <message>
        <source>理由（必填，记入审计日志）：</source>
        <translation>Reason (required, recorded in the audit log):</translation>
    </message>
    <message>
        <source>例如：经电话向专家核实，以 10:42 发来的文件为准</source>
        <translation>For example: confirmed with the expert by phone; the file sent at 10:42 counts</translation>
    </message>
    <message>
        <source>以所选为准</source>
        <translation>Use the selected sheet</translation>
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
    <name>ConsolidationPage</name>
    <message>
        <source>评分表：</source>
        <translation>Form:</translation>
    </message>
    <message>
        <source>重新汇总</source>
        <translation>Consolidate again</translation>
    </message>
    <message>
        <source>名次</source>
        <translation>Rank</translation>
    </message>
    <message>
        <source>中心</source>
        <translation>Center</translation>
    </message>
    <message>
        <source>有效表</source>
        <translation>Valid sheets</translation>
    </message>
    <message>
        <source>最终得分</source>
        <translation>Final score</translation>
    </message>
    <message>
        <source>结论</source>
        <translation>Conclusion</translation>
    </message>
    <message>
        <source>提示</source>
        <translation>Flags</translation>
    </message>
    <message>
        <source>处理结果</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <source>奖励</source>
        <translation>Award</translation>
    </message>
    <message>
        <source>中心类型</source>
        <translation>Center type</translation>
    </message>
    <message>
        <source>结论与分档不一致</source>
        <translation>Conclusion differs from band</translation>
    </message>
    <message>
        <source>排名</source>
        <translation>Ranking</translation>
    </message>
    <message>
        <source>图表</source>
        <translation>Charts</translation>
    </message>
    <message>
        <source>正在汇总…</source>
        <translation>Consolidating…</translation>
    </message>
    <message>
        <source>已汇总 %1</source>
        <translation>Consolidated %1</translation>
    </message>
    <message>
        <source>汇总失败</source>
        <translation>Consolidation failed</translation>
    </message>
    <message>
        <source>并列</source>
        <translation>tie</translation>
    </message>
    <message>
        <source>限额调整</source>
        <translation>capped</translation>
    </message>
    <message>
        <source>否决待确认</source>
        <translation>veto pending</translation>
    </message>
    <message>
        <source>已否决</source>
        <translation>vetoed</translation>
    </message>
    <message>
        <source>有效表不足</source>
        <translation>too few sheets</translation>
    </message>
    <message>
        <source>离群</source>
        <translation>outlier</translation>
    </message>
    <message>
        <source>政策核减</source>
        <translation>Policy cut</translation>
    </message>
    <message>
        <source>建议额度超限</source>
        <translation>Suggestion over limit</translation>
    </message>
    <message>
        <source>样本过少</source>
        <translation>Cohort too small</translation>
    </message>
    <message>
        <source>尚无汇总结果：请先导入评分表。</source>
        <translation>No results yet: import the score sheets first.</translation>
    </message>
    <message>
        <source>未能保存决定</source>
        <translation>The decision was not saved</translation>
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
        <source>评审机构确定本项不适用</source>
        <translation>The agency has set this item not applicable</translation>
    </message>
    <message>
        <source>（对所有专家相同）</source>
        <translation> (the same for every expert)</translation>
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
    <name>DecisionsTab</name>
    <message>
        <source>中心(&amp;M)：</source>
        <translation>Ce&amp;nter:</translation>
    </message>
    <message>
        <source>中心</source>
        <translation>Center</translation>
    </message>
    <message>
        <source>决定日期</source>
        <translation>Decision date</translation>
    </message>
    <message>
        <source>市科技局决定</source>
        <translation>Decision of the municipal bureau</translation>
    </message>
    <message>
        <source>决定，例如：同意评估结论</source>
        <translation>Decision, e.g. assessment upheld</translation>
    </message>
    <message>
        <source>文号</source>
        <translation>Document no.</translation>
    </message>
    <message>
        <source>记录决定(&amp;D)</source>
        <translation>Record &amp;decision</translation>
    </message>
    <message>
        <source>记录决定</source>
        <translation>Record decision</translation>
    </message>
    <message>
        <source>决定：</source>
        <translation>Decision:</translation>
    </message>
    <message>
        <source>异议或复议</source>
        <translation>Objection or review</translation>
    </message>
    <message>
        <source>异议</source>
        <translation>Objection</translation>
    </message>
    <message>
        <source>复议</source>
        <translation>Review</translation>
    </message>
    <message>
        <source>收到日期</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>提出人</source>
        <translation>From</translation>
    </message>
    <message>
        <source>异议内容</source>
        <translation>What it says</translation>
    </message>
    <message>
        <source>内容</source>
        <translation>Content</translation>
    </message>
    <message>
        <source>记录异议(&amp;O)</source>
        <translation>Record &amp;objection</translation>
    </message>
    <message>
        <source>记录异议或复议</source>
        <translation>Record objection or review</translation>
    </message>
    <message>
        <source>项目编号</source>
        <translation>Proposal</translation>
    </message>
    <message>
        <source>中心名称</source>
        <translation>Center</translation>
    </message>
    <message>
        <source>决定</source>
        <translation>Decision</translation>
    </message>
    <message>
        <source>异议与复议</source>
        <translation>Objections and reviews</translation>
    </message>
    <message>
        <source>编号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>项目</source>
        <translation>Proposal</translation>
    </message>
    <message>
        <source>处理结果</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <source>办结日期</source>
        <translation>Settled on</translation>
    </message>
    <message>
        <source>所选异议的处理结果</source>
        <translation>Outcome of the selected objection</translation>
    </message>
    <message>
        <source>办结所选异议(&amp;L)</source>
        <translation>Sett&amp;le selected</translation>
    </message>
    <message>
        <source>办结所选异议</source>
        <translation>Settle the selected objection</translation>
    </message>
    <message>
        <source>办结：</source>
        <translation>Settle:</translation>
    </message>
    <message>
        <source>处理中</source>
        <translation>Open</translation>
    </message>
</context>
<context>
    <name>DemoBanner</name>
    <message>
        <source>演示模式 · 单独的演示工作区</source>
        <translation>Demo mode · separate demo workspace</translation>
    </message>
    <message>
        <source>演示模式：这是公开的演示批次，在单独的演示工作区中打开；这里的评分、密钥和评分表与您的正式评审互不相干。</source>
        <translation>Demo mode: this is the public demo batch, opened in a separate demo workspace; the scores, keys and sheets here have nothing to do with your real reviews.</translation>
    </message>
    <message>
        <source>退出演示</source>
        <translation>Leave the demo</translation>
    </message>
    <message>
        <source>退出演示，回到正式工作区</source>
        <translation>Leave the demo and return to your real workspace</translation>
    </message>
</context>
<context>
    <name>DocumentSidePanel</name>
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
        <comment>side panel tab</comment>
        <translation>Pages</translation>
    </message>
    <message>
        <source>目录</source>
        <translation>Outline</translation>
    </message>
    <message>
        <source>搜索结果</source>
        <comment>side panel tab</comment>
        <translation>Hits</translation>
    </message>
    <message>
        <source>侧栏</source>
        <translation>Side panel</translation>
    </message>
</context>
<context>
    <name>DocumentToolbar</name>
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
        <comment>toolbar button</comment>
        <translation>Width</translation>
    </message>
    <message>
        <source>适合宽度</source>
        <translation>Fit width</translation>
    </message>
    <message>
        <source>整页</source>
        <comment>toolbar button</comment>
        <translation>Page</translation>
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
        <source>侧栏</source>
        <comment>toolbar button</comment>
        <translation>Panel</translation>
    </message>
    <message>
        <source>显示或隐藏缩略图、目录和搜索结果栏（F6）</source>
        <translation>Show or hide the thumbnails, outline and search results (F6)</translation>
    </message>
    <message>
        <source>/ {count} 页</source>
        <translation>/ {count}</translation>
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
        <source>文档页面</source>
        <translation>Document pages</translation>
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
        <source>无法打开《{title}》：文件已损坏或不是有效的 PDF。请联系组织机构重新提供材料。</source>
        <translation>Cannot open &quot;{title}&quot;: the file is damaged or not a valid PDF. Ask the agency to send the documents again.</translation>
    </message>
</context>
<context>
    <name>DrawPage</name>
    <message>
        <source>抽取专家</source>
        <translation>Draw experts</translation>
    </message>
    <message>
        <source>抽取规则</source>
        <translation>Draw rules</translation>
    </message>
    <message>
        <source>批次源的申报项目表（proposals.csv / .xlsx）</source>
        <translation>The batch source&apos;s proposals table (proposals.csv / .xlsx)</translation>
    </message>
    <message>
        <source>选择…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>申报项目表：</source>
        <translation>Proposals table:</translation>
    </message>
    <message>
        <source>专家组数：</source>
        <translation>Panels:</translation>
    </message>
    <message>
        <source>技术专家</source>
        <translation>Technical</translation>
    </message>
    <message>
        <source>财务专家</source>
        <translation>Finance</translation>
    </message>
    <message>
        <source>管理专家</source>
        <translation>Management</translation>
    </message>
    <message>
        <source>每组人数：</source>
        <translation>Per panel:</translation>
    </message>
    <message>
        <source>每组每类候补：</source>
        <translation>Reserves per panel and role:</translation>
    </message>
    <message>
        <source>不限</source>
        <translation>no limit</translation>
    </message>
    <message>
        <source>同单位每组最多：</source>
        <translation>At most per unit and panel:</translation>
    </message>
    <message>
        <source>YYYY-MM-DD（可不填；排除当天不能参加的专家）</source>
        <translation>YYYY-MM-DD (optional; experts unavailable that day are left out)</translation>
    </message>
    <message>
        <source>评审日期：</source>
        <translation>Meeting date:</translation>
    </message>
    <message>
        <source>上次评审过该中心的专家回避（轮换）</source>
        <translation>Experts who sat on a center&apos;s last panel avoid it (rotation)</translation>
    </message>
    <message>
        <source>留空：抽取时由操作系统产生（推荐）</source>
        <translation>Empty: drawn from the operating system at draw time (recommended)</translation>
    </message>
    <message>
        <source>随机种子：</source>
        <translation>Seed:</translation>
    </message>
    <message>
        <source>在场监督人姓名，用顿号分隔</source>
        <translation>Names of the supervisors present, separated by 、 or commas</translation>
    </message>
    <message>
        <source>监督人：</source>
        <translation>Supervisors:</translation>
    </message>
    <message>
        <source>组织机构：</source>
        <translation>Agency:</translation>
    </message>
    <message>
        <source>签名密钥受口令保护时填写</source>
        <translation>When the signing key has a passphrase</translation>
    </message>
    <message>
        <source>密钥口令：</source>
        <translation>Key passphrase:</translation>
    </message>
    <message>
        <source>输出文件夹：</source>
        <translation>Output folder:</translation>
    </message>
    <message>
        <source>抽取</source>
        <translation>Draw</translation>
    </message>
    <message>
        <source>替换所选专家…</source>
        <translation>Replace selected expert…</translation>
    </message>
    <message>
        <source>专家组</source>
        <translation>Panel</translation>
    </message>
    <message>
        <source>身份</source>
        <translation>Seat</translation>
    </message>
    <message>
        <source>专家编号</source>
        <translation>Expert id</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>专业领域</source>
        <translation>Fields</translation>
    </message>
    <message>
        <source>评审中心</source>
        <translation>Centers</translation>
    </message>
    <message>
        <source>抽取结果</source>
        <translation>Draw result</translation>
    </message>
    <message>
        <source>中心</source>
        <translation>Center</translation>
    </message>
    <message>
        <source>回避原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>依据</source>
        <translation>Because of</translation>
    </message>
    <message>
        <source>回避名单</source>
        <translation>Exclusions</translation>
    </message>
    <message>
        <source>申报项目表</source>
        <translation>Proposals table</translation>
    </message>
    <message>
        <source>表格 (*.csv *.xlsx)</source>
        <translation>Spreadsheets (*.csv *.xlsx)</translation>
    </message>
    <message>
        <source>输出文件夹</source>
        <translation>Output folder</translation>
    </message>
    <message>
        <source>专家库是空的：请先在“专家库”页导入。</source>
        <translation>The pool is empty: import it on the Expert pool page first.</translation>
    </message>
    <message>
        <source>请选择申报项目表。</source>
        <translation>Choose the proposals table.</translation>
    </message>
    <message>
        <source>请选择输出文件夹。</source>
        <translation>Choose the output folder.</translation>
    </message>
    <message>
        <source>评审日期应写成 YYYY-MM-DD。</source>
        <translation>Write the meeting date as YYYY-MM-DD.</translation>
    </message>
    <message>
        <source>正在抽取并生成抽取记录和邀请函…</source>
        <translation>Drawing, writing the record and the invitation letters…</translation>
    </message>
    <message>
        <source>随机种子：%1</source>
        <translation>Seed: %1</translation>
    </message>
    <message>
        <source>抽取记录 %1 第 %2 版已签名；回避 %3 条；文件在 %4（draw.pdf、experts.csv、letters/ …）</source>
        <translation>Draw record %1 revision %2 signed; %3 exclusions; files in %4 (draw.pdf, experts.csv, letters/ …)</translation>
    </message>
    <message>
        <source>未完成：</source>
        <translation>Not done: </translation>
    </message>
    <message>
        <source>组长</source>
        <translation>Chair</translation>
    </message>
    <message>
        <source>成员</source>
        <translation>Member</translation>
    </message>
    <message>
        <source>候补（已递补）</source>
        <translation>Reserve (used)</translation>
    </message>
    <message>
        <source>候补</source>
        <translation>Reserve</translation>
    </message>
    <message>
        <source>全部中心</source>
        <translation>every center</translation>
    </message>
    <message>
        <source>回避名单（%1）</source>
        <translation>Exclusions (%1)</translation>
    </message>
    <message>
        <source>请填写替换原因。</source>
        <translation>Give the reason for the replacement.</translation>
    </message>
    <message>
        <source>请先在表中选择不能参加的专家。</source>
        <translation>First select the expert who declines.</translation>
    </message>
    <message>
        <source>替换专家</source>
        <translation>Replace expert</translation>
    </message>
    <message>
        <source>%1 不能参加的原因：</source>
        <translation>Why %1 cannot take part:</translation>
    </message>
</context>
<context>
    <name>EnrolKeyDialog</name>
    <message>
        <source>登记专家密钥</source>
        <translation>Enrol an expert&apos;s key</translation>
    </message>
    <message>
        <source>按专家亲笔签名的《评审专家密钥登记表》登记其密钥：照表输入密钥指纹（空格可省略），或用扫码枪扫描表上的二维码。登记后，该专家的评分表必须由这把密钥签名。</source>
        <translation>Enrol the key from the expert&apos;s hand-signed key enrolment sheet: type the key fingerprint as printed (spaces may be left out) or scan the sheet&apos;s QR code. Once enrolled, this expert&apos;s sheets must be signed with this key.</translation>
    </message>
    <message>
        <source>（已登记）</source>
        <translation> (enrolled)</translation>
    </message>
    <message>
        <source>专家</source>
        <translation>Expert</translation>
    </message>
    <message>
        <source>读取登记表文件…</source>
        <translation>Read enrolment sheet file…</translation>
    </message>
    <message>
        <source>专家在软件中保存的《评审专家密钥登记表》PDF 文件</source>
        <translation>The key enrolment sheet PDF that the expert saved from the app</translation>
    </message>
    <message>
        <source>密钥指纹或二维码内容</source>
        <translation>Key fingerprint or QR code text</translation>
    </message>
    <message>
        <source>登记</source>
        <translation>Enrol</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>读取登记表文件</source>
        <translation>Read enrolment sheet file</translation>
    </message>
    <message>
        <source>密钥登记表 (*.pdf)</source>
        <translation>Key enrolment sheets (*.pdf)</translation>
    </message>
    <message>
        <source>将登记：%1</source>
        <translation>Will enrol: %1</translation>
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
        <source>无法读取该文件，请检查文件是否存在、U 盘是否已插好。</source>
        <translation>The file cannot be read. Check that it exists and that the USB stick is plugged in.</translation>
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
        <source>拒绝打开该批次</source>
        <translation>Batch refused</translation>
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
    <name>ExpertKeyActions</name>
    <message>
        <source>选择密钥登记文件（allowed_signers）</source>
        <translation>Choose the key register (allowed_signers)</translation>
    </message>
    <message>
        <source>所有文件 (*)</source>
        <translation>All files (*)</translation>
    </message>
    <message>
        <source>密钥登记导入失败</source>
        <translation>Key register not imported</translation>
    </message>
    <message>
        <source>密钥登记已导入</source>
        <translation>Key register imported</translation>
    </message>
    <message>
        <source>已预先登记 %1 位专家的密钥。之后导入的评分表必须由这些密钥签名。</source>
        <translation>%1 experts&apos; keys enrolled. Sheets imported from now on must be signed with these keys.</translation>
    </message>
    <message>
        <source>密钥未能登记</source>
        <translation>Key not enrolled</translation>
    </message>
    <message>
        <source>密钥已登记</source>
        <translation>Key enrolled</translation>
    </message>
    <message>
        <source>已登记专家 %1 的密钥 %2。之后该专家的评分表必须由这把密钥签名。</source>
        <translation>Enrolled key %2 for expert %1. This expert&apos;s sheets must now be signed with this key.</translation>
    </message>
    <message>
        <source>吊销密钥</source>
        <translation>Revoke key</translation>
    </message>
    <message>
        <source>确定吊销专家 %1 的密钥吗？吊销后不可恢复，由它签名的新评分表一律拒收，该专家须重新登记一把新密钥。</source>
        <translation>Revoke the key of expert %1? This cannot be undone: new sheets signed with it are refused, and the expert must enrol a new key.</translation>
    </message>
    <message>
        <source>密钥未能更换</source>
        <translation>Key not rotated</translation>
    </message>
    <message>
        <source>密钥未能吊销</source>
        <translation>Key not revoked</translation>
    </message>
    <message>
        <source>密钥已更换</source>
        <translation>Key rotated</translation>
    </message>
    <message>
        <source>专家 %1 的密钥已更换为 %2。旧密钥签名的评分表此后一律拒收。</source>
        <translation>The key of expert %1 is now %2. Sheets signed with the old key are refused from now on.</translation>
    </message>
    <message>
        <source>密钥已吊销</source>
        <translation>Key revoked</translation>
    </message>
    <message>
        <source>专家 %1 的密钥已吊销。由它签名的新评分表一律拒收。</source>
        <translation>The key of expert %1 is revoked. New sheets signed with it are refused.</translation>
    </message>
</context>
<context>
    <name>FormContent</name>
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
        <source>结论与总分分档不一致的理由</source>
        <translation>Reason the conclusion differs from the band of the total</translation>
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
        <source>总分 {total} 对应“{band}”，您选择了“{chosen}”。请说明理由（必填，随评分表签名提交，组织机构可见）：</source>
        <translation>A total of {total} falls in “{band}” and you chose “{chosen}”. Give the reason (required; signed with the sheet and seen by the agency):</translation>
    </message>
    <message>
        <source>结论理由：</source>
        <translation>Reason for the conclusion:</translation>
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
    <name>ImportLogTexts</name>
    <message>
        <source>已接受（取代第 %1 版）</source>
        <translation>Accepted (replaces revision %1)</translation>
    </message>
    <message>
        <source>已接受</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>重复（已忽略）</source>
        <translation>Duplicate (ignored)</translation>
    </message>
    <message>
        <source>旧版本（已存档）</source>
        <translation>Older revision (archived)</translation>
    </message>
    <message>
        <source>冲突（待处理）</source>
        <translation>Conflict (to resolve)</translation>
    </message>
    <message>
        <source>待确认密钥</source>
        <translation>Key to confirm</translation>
    </message>
    <message>
        <source>已拒绝</source>
        <translation>Refused</translation>
    </message>
    <message>
        <source>第 %1 版</source>
        <translation>revision %1</translation>
    </message>
    <message>
        <source>请点击“处理冲突…”选择计入汇总的一份。</source>
        <translation> Click “Resolve conflicts…” to choose the one that counts.</translation>
    </message>
    <message>
        <source>技术细节：%1</source>
        <translation>Technical detail: %1</translation>
    </message>
    <message>
        <source>计入汇总</source>
        <translation>Counts</translation>
    </message>
    <message>
        <source>已被取代（存档）</source>
        <translation>Superseded (archived)</translation>
    </message>
    <message>
        <source>尚未收到</source>
        <translation>Not received</translation>
    </message>
    <message>
        <source>文件</source>
        <translation>Files</translation>
    </message>
    <message>
        <source>专家</source>
        <translation>Experts</translation>
    </message>
    <message>
        <source>版本</source>
        <translation>Revision</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>密钥指纹</source>
        <translation>Key fingerprint</translation>
    </message>
    <message>
        <source>导入时间</source>
        <translation>Imported at</translation>
    </message>
</context>
<context>
    <name>KeyChangeDialog</name>
    <message>
        <source>更换专家密钥</source>
        <translation>Rotate an expert&apos;s key</translation>
    </message>
    <message>
        <source>吊销专家密钥</source>
        <translation>Revoke an expert&apos;s key</translation>
    </message>
    <message>
        <source>专家换了电脑或新建了密钥时，按其新的《评审专家密钥登记表》输入新密钥指纹或扫描二维码。旧密钥将标记为已更换，此后由旧密钥签名的评分表一律拒收。</source>
        <translation>When an expert has a new computer or a new key, type the new key fingerprint from their new expert key enrolment sheet or scan its QR code. The old key is marked as rotated, and sheets signed with it are refused from now on.</translation>
    </message>
    <message>
        <source>密钥丢失、被盗或专家退出评审时吊销其密钥。吊销后由该密钥签名的新评分表一律拒收，已导入的评分表保留在记录中。</source>
        <translation>Revoke an expert&apos;s key when it is lost or stolen or the expert leaves the panel. New sheets signed with a revoked key are refused; sheets already imported stay in the history.</translation>
    </message>
    <message>
        <source>专家</source>
        <translation>Expert</translation>
    </message>
    <message>
        <source>当前密钥</source>
        <translation>Current key</translation>
    </message>
    <message>
        <source>新密钥指纹或二维码内容</source>
        <translation>New key fingerprint or QR code text</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>例如：更换电脑、密钥丢失（必填，记入审计记录）</source>
        <translation>e.g. new computer, key lost (required, recorded in the audit log)</translation>
    </message>
    <message>
        <source>更换</source>
        <translation>Rotate</translation>
    </message>
    <message>
        <source>吊销</source>
        <translation>Revoke</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>（无已登记的密钥）</source>
        <translation>(no enrolled key)</translation>
    </message>
    <message>
        <source>新密钥：%1</source>
        <translation>New key: %1</translation>
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
        <source>下一个评分表(&amp;B)</source>
        <translation>Next score s&amp;heet</translation>
    </message>
    <message>
        <source>显示或隐藏文档侧栏(&amp;D)	F6</source>
        <translation>Show or hide the &amp;document side bar	F6</translation>
    </message>
    <message>
        <source>转到项目列表(&amp;1)</source>
        <translation>Go to the proposals (&amp;1)</translation>
    </message>
    <message>
        <source>转到申报材料(&amp;2)</source>
        <translation>Go to the documents (&amp;2)</translation>
    </message>
    <message>
        <source>转到评分表(&amp;3)</source>
        <translation>Go to the score sheet (&amp;3)</translation>
    </message>
    <message>
        <source>天津市技术创新中心 专家评审</source>
        <translation>Tianjin Technology Innovation Centers — Expert Review</translation>
    </message>
    <message>
        <source>（演示）</source>
        <translation> (demo)</translation>
    </message>
    <message>
        <source>密钥 %1</source>
        <translation>Key %1</translation>
    </message>
    <message>
        <source>评审机构科研诚信核查：依托单位或中心负责人有尚未了结的严重科研失信记录</source>
        <translation>Agency&apos;s research-integrity check: the host unit or the center&apos;s head HAS an unresolved serious misconduct record</translation>
    </message>
    <message>
        <source>评审机构科研诚信核查：依托单位及中心负责人无尚未了结的严重科研失信记录</source>
        <translation>Agency&apos;s research-integrity check: no unresolved serious misconduct record of the host unit or the center&apos;s head</translation>
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
        <source>修改尚未保存</source>
        <translation>Changes not saved</translation>
    </message>
    <message>
        <source>最近的修改还没有保存（见窗口顶部的提示），关闭程序会丢失这些修改。</source>
        <translation>Your latest changes are not saved yet (see the message at the top of the window); closing the app now would lose them.</translation>
    </message>
    <message>
        <source>建议先腾出磁盘空间或关闭占用文件的程序，软件会自动重试保存。</source>
        <translation>Free some disk space or close the program holding the file first; the app keeps retrying the save.</translation>
    </message>
    <message>
        <source>不关闭</source>
        <translation>Don&apos;t close</translation>
    </message>
    <message>
        <source>仍然关闭（丢失修改）</source>
        <translation>Close anyway (lose the changes)</translation>
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
        <translation>Budget and policy</translation>
    </message>
    <message>
        <source>绩效目标</source>
        <translation>Targets</translation>
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
    <name>ManualMatchDialog</name>
    <message>
        <source>人工匹配扫描页</source>
        <translation>Match a scanned page by hand</translation>
    </message>
    <message>
        <source>第 %1 页</source>
        <translation>page %1</translation>
    </message>
    <message>
        <source>扫描页：</source>
        <translation>Scanned page:</translation>
    </message>
    <message>
        <source>未知</source>
        <translation>unknown</translation>
    </message>
    <message>
        <source>为什么这一页属于这份评分表（例如：页眉的项目编号与页脚的摘要一致，二维码被污损）</source>
        <translation>Why this page belongs to this sheet (e.g. the proposal id in the header and the digest in the footer agree; the QR code is stained)</translation>
    </message>
    <message>
        <source>专家：</source>
        <translation>Expert:</translation>
    </message>
    <message>
        <source>项目：</source>
        <translation>Proposal:</translation>
    </message>
    <message>
        <source>/ 共</source>
        <translation>of</translation>
    </message>
    <message>
        <source>页</source>
        <translation>Page</translation>
    </message>
    <message>
        <source>页码：</source>
        <translation>Page:</translation>
    </message>
    <message>
        <source>理由：</source>
        <translation>Reason:</translation>
    </message>
    <message>
        <source>确认匹配</source>
        <translation>Confirm the match</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>MeetingBox</name>
    <message>
        <source>评审会议</source>
        <translation>Panel meeting</translation>
    </message>
    <message>
        <source>YYYY-MM-DD</source>
        <translation>YYYY-MM-DD</translation>
    </message>
    <message>
        <source>方式：</source>
        <translation>Mode:</translation>
    </message>
    <message>
        <source>日期：</source>
        <translation>Date:</translation>
    </message>
    <message>
        <source>地点：</source>
        <translation>Place:</translation>
    </message>
    <message>
        <source>副组长：</source>
        <translation>Deputy:</translation>
    </message>
    <message>
        <source>组长：</source>
        <translation>Chair:</translation>
    </message>
    <message>
        <source>评审日期</source>
        <translation>Meeting date</translation>
    </message>
    <message>
        <source>评审地点</source>
        <translation>Meeting place</translation>
    </message>
    <message>
        <source>评审方式</source>
        <translation>Review mode</translation>
    </message>
    <message>
        <source>专家组组长</source>
        <translation>Panel chair</translation>
    </message>
    <message>
        <source>副组长</source>
        <translation>Deputy chair</translation>
    </message>
    <message>
        <source>（未指定）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>会议信息已保存</source>
        <translation>Meeting record saved</translation>
    </message>
</context>
<context>
    <name>NewPassphrase</name>
    <message>
        <source>口令</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <source>再次输入口令</source>
        <translation>Passphrase again</translation>
    </message>
    <message>
        <source>口令：</source>
        <translation>Passphrase:</translation>
    </message>
    <message>
        <source>再次输入：</source>
        <translation>Again:</translation>
    </message>
    <message>
        <source>强度：</source>
        <translation>Strength:</translation>
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
</context>
<context>
    <name>NewRoundDialog</name>
    <message>
        <source>新建评审轮次</source>
        <translation>New evaluation round</translation>
    </message>
    <message>
        <source>轮次编号</source>
        <translation>Round id</translation>
    </message>
    <message>
        <source>%1 年度专业性技术创新中心评估</source>
        <translation>%1 assessment of professional innovation centers</translation>
    </message>
    <message>
        <source>轮次名称</source>
        <translation>Round title</translation>
    </message>
    <message>
        <source>年度</source>
        <translation>Year</translation>
    </message>
    <message>
        <source>编号(&amp;I)：</source>
        <translation>&amp;Id:</translation>
    </message>
    <message>
        <source>名称(&amp;T)：</source>
        <translation>&amp;Title:</translation>
    </message>
    <message>
        <source>年度(&amp;Y)：</source>
        <translation>&amp;Year:</translation>
    </message>
    <message>
        <source>编号只用字母、数字、点、下划线和连字符，例如 R2027-PRO。</source>
        <translation>The id uses letters, digits, dots, underscores and hyphens, e.g. R2027-PRO.</translation>
    </message>
    <message>
        <source>创建</source>
        <translation>Create</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>OfficialTab</name>
    <message>
        <source>原始最终得分排名（默认）(&amp;R)</source>
        <translation>&amp;Raw final scores (default)</translation>
    </message>
    <message>
        <source>原始最终得分排名</source>
        <translation>Raw final scores ranking</translation>
    </message>
    <message>
        <source>标准化得分排名(&amp;N)</source>
        <translation>&amp;Normalised scores</translation>
    </message>
    <message>
        <source>标准化得分排名</source>
        <translation>Normalised scores ranking</translation>
    </message>
    <message>
        <source>理由（采用标准化排名时必填）(&amp;E)：</source>
        <translation>R&amp;eason (required for the normalised ranking):</translation>
    </message>
    <message>
        <source>采用标准化排名的理由</source>
        <translation>Reason for the normalised ranking</translation>
    </message>
    <message>
        <source>保存正式排名(&amp;S)</source>
        <translation>&amp;Save official ranking</translation>
    </message>
    <message>
        <source>保存正式排名</source>
        <translation>Save official ranking</translation>
    </message>
    <message>
        <source>当前正式排名：标准化得分排名。理由：%1</source>
        <translation>Official ranking now: normalised scores. Reason: %1</translation>
    </message>
    <message>
        <source>当前正式排名：原始最终得分排名（默认）。</source>
        <translation>Official ranking now: raw final scores (default).</translation>
    </message>
</context>
<context>
    <name>OpinionComments</name>
    <message>
        <source>尚无评分表意见。</source>
        <translation>No comments from sheets yet.</translation>
    </message>
    <message>
        <source>插入到：%1</source>
        <translation>Insert into: %1</translation>
    </message>
</context>
<context>
    <name>PanelOpinionPage</name>
    <message>
        <source>项目与评分表</source>
        <translation>Proposals and forms</translation>
    </message>
    <message>
        <source>签署人（组长）：</source>
        <translation>Signed by (chair):</translation>
    </message>
    <message>
        <source>持不同意见的专家署名及其意见；一致通过的留空</source>
        <translation>Dissenting experts by name and their view; leave empty when unanimous</translation>
    </message>
    <message>
        <source>专家组意见各部分</source>
        <translation>Sections of the panel opinion</translation>
    </message>
    <message>
        <source>各位专家的意见（只读）</source>
        <translation>The experts&apos; comments (read-only)</translation>
    </message>
    <message>
        <source>各位专家的意见</source>
        <translation>The experts&apos; comments</translation>
    </message>
    <message>
        <source>选中一条意见，这里显示全文</source>
        <translation>Select a comment to see its full text here</translation>
    </message>
    <message>
        <source>意见全文</source>
        <translation>Full comment</translation>
    </message>
    <message>
        <source>插入</source>
        <translation>Insert</translation>
    </message>
    <message>
        <source>把所选意见追加到光标所在的栏目</source>
        <translation>Append the selected comment to the section with the cursor</translation>
    </message>
    <message>
        <source>已保存 %1</source>
        <translation>Saved %1</translation>
    </message>
    <message>
        <source>组长回避本项目，由副组长 %1 主持评议并签署。</source>
        <translation>The chair stands aside for this center; deputy %1 presides and signs.</translation>
    </message>
    <message>
        <source>组长回避本项目：请在上方“评审会议”中指定副组长主持评议。</source>
        <translation>The chair stands aside for this center: name a deputy under “Panel meeting” above to preside.</translation>
    </message>
    <message>
        <source>已保存</source>
        <translation>Saved</translation>
    </message>
    <message>
        <source>经专家组评议，结论为“%1”（最终得分 %2）。</source>
        <translation>After deliberation the panel&apos;s conclusion is “%1” (final score %2).</translation>
    </message>
    <message>
        <source>正在保存…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>未保存：%1（修改保留在内存中，稍后自动重试）</source>
        <translation>Not saved: %1 (your changes are kept in memory; retrying shortly)</translation>
    </message>
    <message>
        <source>已填写专家组意见</source>
        <translation>Panel opinion written</translation>
    </message>
    <message>
        <source>尚未填写</source>
        <translation>Not written yet</translation>
    </message>
    <message>
        <source>请选择项目</source>
        <translation>Choose a proposal</translation>
    </message>
</context>
<context>
    <name>PanelsTab</name>
    <message>
        <source>每个专家组的有效总分与全轮平均分比较；下表为每位专家的平均总分与本组最终得分平均之差（负数：比本组严）。</source>
        <translation>Each panel&apos;s valid totals against the round&apos;s mean; below, each expert&apos;s mean total against the panel&apos;s mean final score (below zero: harsher than the panel).</translation>
    </message>
    <message>
        <source>专家组效应</source>
        <translation>Panel effects</translation>
    </message>
    <message>
        <source>专家组</source>
        <translation>Panel</translation>
    </message>
    <message>
        <source>评分表</source>
        <translation>Form</translation>
    </message>
    <message>
        <source>有效总分</source>
        <translation>Valid totals</translation>
    </message>
    <message>
        <source>平均分</source>
        <translation>Mean</translation>
    </message>
    <message>
        <source>标准差</source>
        <translation>SD</translation>
    </message>
    <message>
        <source>最低</source>
        <translation>Min</translation>
    </message>
    <message>
        <source>最高</source>
        <translation>Max</translation>
    </message>
    <message>
        <source>与全轮平均之差</source>
        <translation>vs round mean</translation>
    </message>
    <message>
        <source>各专家与本组比较</source>
        <translation>Experts against their panel</translation>
    </message>
    <message>
        <source>专家</source>
        <translation>Expert</translation>
    </message>
    <message>
        <source>评分数</source>
        <translation>Scored</translation>
    </message>
    <message>
        <source>专家平均分</source>
        <translation>Expert mean</translation>
    </message>
    <message>
        <source>本组平均</source>
        <translation>Panel mean</translation>
    </message>
    <message>
        <source>差值</source>
        <translation>Difference</translation>
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
    <name>PinKeyDialog</name>
    <message>
        <source>核对专家密钥</source>
        <translation>Check the expert&apos;s key</translation>
    </message>
    <message>
        <source>这是该专家的第一份评分表。请将下面的密钥指纹与专家签字的纸质评分表或密钥登记表上打印的指纹逐组核对。</source>
        <translation>This is the expert&apos;s first sheet. Compare the key fingerprint below, group by group, with the one printed on the paper score sheet or key enrolment sheet the expert signed.</translation>
    </message>
    <message>
        <source>专家：%1（%2）</source>
        <translation>Expert: %1 (%2)</translation>
    </message>
    <message>
        <source>文件：%1</source>
        <translation>File: %1</translation>
    </message>
    <message>
        <source>只有完全一致时才信任此密钥。不一致说明文件可能不是该专家签名的，评分表将被拒绝。</source>
        <translation>Trust this key only if it matches exactly. A mismatch means the file may not be signed by this expert; the sheet will be refused.</translation>
    </message>
    <message>
        <source>不一致</source>
        <translation>Does not match</translation>
    </message>
    <message>
        <source>一致，信任此密钥</source>
        <translation>Matches, trust this key</translation>
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
    <name>PoolExpertDialog</name>
    <message>
        <source>编辑专家</source>
        <translation>Edit expert</translation>
    </message>
    <message>
        <source>添加专家</source>
        <translation>Add expert</translation>
    </message>
    <message>
        <source>专家编号</source>
        <translation>Expert id</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>职称</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>专业领域（用 ; 分隔）</source>
        <translation>Fields (separated by ;)</translation>
    </message>
    <message>
        <source>合作单位（用 ; 分隔）</source>
        <translation>Collaborators (separated by ;)</translation>
    </message>
    <message>
        <source>不可参加日期（如 2027-03-01~2027-03-05）</source>
        <translation>Unavailable (e.g. 2027-03-01~2027-03-05)</translation>
    </message>
    <message>
        <source>密钥指纹</source>
        <translation>Key fingerprint</translation>
    </message>
    <message>
        <source>联系方式</source>
        <translation>Contact</translation>
    </message>
    <message>
        <source>近期评审中心（编号，用 ; 分隔）</source>
        <translation>Centers of the last panels sat on (ids, separated by ;)</translation>
    </message>
    <message>
        <source>历史回避中心（编号，用 ; 分隔）</source>
        <translation>Centers of past conflicts (ids, separated by ;)</translation>
    </message>
    <message>
        <source>类别：</source>
        <translation>Role:</translation>
    </message>
</context>
<context>
    <name>PoolPage</name>
    <message>
        <source>专家库保存在机构工作区中；导入文件会替换整个专家库（列：专家编号、姓名、单位、职称、角色、专业领域，可选 合作单位、不可参加日期、密钥指纹、联系方式、近期评审中心、历史回避中心）。每次修改都记入审计日志。</source>
        <translation>The pool is kept in the agency workspace; importing a file replaces the whole pool (columns: expert_id, name, unit, title, role, fields; optional collaborators, unavailable, key_fingerprint, contact, past_panels, past_conflicts). Every change is written to the audit log.</translation>
    </message>
    <message>
        <source>导入专家库…</source>
        <translation>Import pool…</translation>
    </message>
    <message>
        <source>添加专家…</source>
        <translation>Add expert…</translation>
    </message>
    <message>
        <source>编辑所选专家…</source>
        <translation>Edit selected…</translation>
    </message>
    <message>
        <source>导出专家库…</source>
        <translation>Export pool…</translation>
    </message>
    <message>
        <source>删除所选专家</source>
        <translation>Remove selected</translation>
    </message>
    <message>
        <source>专业领域列表…</source>
        <translation>Field list…</translation>
    </message>
    <message>
        <source>单位别名…</source>
        <translation>Unit aliases…</translation>
    </message>
    <message>
        <source>筛选（编号、姓名、单位、领域）</source>
        <translation>Filter (id, name, unit, field)</translation>
    </message>
    <message>
        <source>筛选专家</source>
        <translation>Filter experts</translation>
    </message>
    <message>
        <source>专家编号</source>
        <translation>Expert id</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>职称</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>专业领域</source>
        <translation>Fields</translation>
    </message>
    <message>
        <source>合作单位</source>
        <translation>Collaborators</translation>
    </message>
    <message>
        <source>密钥指纹</source>
        <translation>Key fingerprint</translation>
    </message>
    <message>
        <source>专家库</source>
        <translation>Expert pool</translation>
    </message>
    <message>
        <source>专家库（%1 位专家）</source>
        <translation>Expert pool (%1 experts)</translation>
    </message>
    <message>
        <source>未登记</source>
        <translation>not enrolled</translation>
    </message>
    <message>
        <source>未导入：</source>
        <translation>Not imported: </translation>
    </message>
    <message>
        <source>已导入 %1 位专家（新增 %2，修改 %3，删除 %4）。</source>
        <translation>Imported %1 experts (%2 added, %3 changed, %4 removed).</translation>
    </message>
    <message>
        <source>未导出：</source>
        <translation>Not exported: </translation>
    </message>
    <message>
        <source>已导出到 %1</source>
        <translation>Exported to %1</translation>
    </message>
    <message>
        <source>已保存专家 %1。</source>
        <translation>Expert %1 saved.</translation>
    </message>
    <message>
        <source>请先在表中选择要编辑的专家。</source>
        <translation>First select the expert to edit.</translation>
    </message>
    <message>
        <source>已删除 %1 位专家。</source>
        <translation>Removed %1 experts.</translation>
    </message>
    <message>
        <source>专业领域列表已保存（%1 项）。</source>
        <translation>Field list saved (%1 fields).</translation>
    </message>
    <message>
        <source>第 %1 行应写成 简称=全称</source>
        <translation>Line %1 must read short=full name</translation>
    </message>
    <message>
        <source>单位别名已保存（%1 条）。</source>
        <translation>Unit aliases saved (%1).</translation>
    </message>
    <message>
        <source>导入专家库</source>
        <translation>Import pool</translation>
    </message>
    <message>
        <source>表格 (*.csv *.xlsx)</source>
        <translation>Spreadsheets (*.csv *.xlsx)</translation>
    </message>
    <message>
        <source>导出专家库</source>
        <translation>Export pool</translation>
    </message>
    <message>
        <source>Excel 工作簿 (*.xlsx);;CSV UTF-8 (*.csv)</source>
        <translation>Excel workbook (*.xlsx);;CSV UTF-8 (*.csv)</translation>
    </message>
    <message>
        <source>请先在表中选择要删除的专家。</source>
        <translation>First select the experts to remove.</translation>
    </message>
    <message>
        <source>删除专家</source>
        <translation>Remove experts</translation>
    </message>
    <message>
        <source>从专家库中删除 %1？</source>
        <translation>Remove %1 from the pool?</translation>
    </message>
    <message>
        <source>专业领域列表</source>
        <translation>Field list</translation>
    </message>
    <message>
        <source>每行一个专业领域。列表不为空时，导入的专家库只能使用列表中的领域。</source>
        <translation>One field per line. When the list is not empty, an imported pool may only use these fields.</translation>
    </message>
    <message>
        <source>单位别名</source>
        <translation>Unit aliases</translation>
    </message>
    <message>
        <source>每行一条：简称=全称（如 天大=天津大学）。回避时按全称比较单位。</source>
        <translation>One per line: short=full name (e.g. 天大=天津大学). Avoidance compares units by their full names.</translation>
    </message>
</context>
<context>
    <name>PoolPages</name>
    <message>
        <source>专家库</source>
        <translation>Expert pool</translation>
    </message>
    <message>
        <source>抽取专家</source>
        <translation>Draw experts</translation>
    </message>
</context>
<context>
    <name>ProblemList</name>
    <message>
        <source>待完成事项</source>
        <translation>Still to do</translation>
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
    <name>ProgressRow</name>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>正在取消…</source>
        <translation>Cancelling…</translation>
    </message>
</context>
<context>
    <name>ProposalDetail</name>
    <message>
        <source>● 计入&#x3000;○ 去掉的最高/最低分&#x3000;◉ 离群&#x3000;┆ 最终得分</source>
        <translation>● counted   ○ dropped highest/lowest   ◉ outlier   ┆ final score</translation>
    </message>
    <message>
        <source>专家总分分布</source>
        <translation>Experts&apos; totals</translation>
    </message>
    <message>
        <source>评分汇总表</source>
        <translation>Score summary</translation>
    </message>
    <message>
        <source>评分明细</source>
        <translation>Scores</translation>
    </message>
    <message>
        <source>计算过程与提示</source>
        <translation>Calculation and flags</translation>
    </message>
    <message>
        <source>否决项</source>
        <translation>Vetoes</translation>
    </message>
    <message>
        <source>%1&#x3000;最终得分 %2&#x3000;结论：%3</source>
        <translation>%1   final score %2   conclusion: %3</translation>
    </message>
    <message>
        <source>（去掉的最高分）</source>
        <translation> (dropped highest)</translation>
    </message>
    <message>
        <source>（去掉的最低分）</source>
        <translation> (dropped lowest)</translation>
    </message>
    <message>
        <source>最终得分 %1</source>
        <translation>Final score %1</translation>
    </message>
    <message>
        <source>评分项</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>满分</source>
        <translation>Max</translation>
    </message>
    <message>
        <source>平均</source>
        <translation>Mean</translation>
    </message>
    <message>
        <source>专家打分相差 %1 分</source>
        <translation>Scores differ by %1 points</translation>
    </message>
    <message>
        <source>不适用</source>
        <translation>N/A</translation>
    </message>
    <message>
        <source>本项去掉的最高分</source>
        <translation>Dropped as this item&apos;s highest score</translation>
    </message>
    <message>
        <source>本项去掉的最低分</source>
        <translation>Dropped as this item&apos;s lowest score</translation>
    </message>
    <message>
        <source>总分</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>与全体平均分相差 %1</source>
        <translation>%1 from the panel mean</translation>
    </message>
    <message>
        <source>去掉的最高分：不计入最终得分</source>
        <translation>Dropped as the highest: not counted in the final score</translation>
    </message>
    <message>
        <source>去掉的最低分：不计入最终得分</source>
        <translation>Dropped as the lowest: not counted in the final score</translation>
    </message>
    <message>
        <source>离群：与全体平均分相差 %1</source>
        <translation>Outlier: %1 from the panel mean</translation>
    </message>
    <message>
        <source>最终得分</source>
        <translation>Final score</translation>
    </message>
    <message>
        <source>计算过程</source>
        <translation>Calculation</translation>
    </message>
    <message>
        <source>结论与分档不一致</source>
        <translation>Conclusion differs from band</translation>
    </message>
    <message>
        <source>结论</source>
        <translation>Conclusion</translation>
    </message>
    <message>
        <source>处理结果</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <source>奖励</source>
        <translation>Award</translation>
    </message>
    <message>
        <source>结论与处理结果</source>
        <translation>Conclusion and outcome</translation>
    </message>
    <message>
        <source>提示</source>
        <translation>Flags</translation>
    </message>
    <message>
        <source>财政补助政策核查（30%、每年 500 万元、连续不超过 3 年）</source>
        <translation>Subsidy policy check (30%, 5 M CNY a year, at most 3 consecutive years)</translation>
    </message>
    <message>
        <source>专家建议财政补助额度</source>
        <translation>The experts&apos; suggested subsidy</translation>
    </message>
    <message>
        <source>%1 人</source>
        <translation>%1 expert(s)</translation>
    </message>
    <message>
        <source>撤并转建议（专家人数）</source>
        <translation>Keep / convert / merge / revoke (experts&apos; counts)</translation>
    </message>
    <message>
        <source>绩效目标完成情况（达标率、平均完成率）</source>
        <translation>Targets (targets met, mean completion)</translation>
    </message>
    <message>
        <source>无</source>
        <translation>none</translation>
    </message>
    <message>
        <source>回避专家（不计分）</source>
        <translation>Withdrawn experts (not scored)</translation>
    </message>
    <message>
        <source>未收到评分表</source>
        <translation>No score sheet received</translation>
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
    <name>PublicationTab</name>
    <message>
        <source>公示说明（模板，可编辑）(&amp;U)：</source>
        <translation>P&amp;ublication notice (template, editable):</translation>
    </message>
    <message>
        <source>公示说明模板</source>
        <translation>Publication notice template</translation>
    </message>
    <message>
        <source>占位符：{round_title} 轮次名称、{round_id} 编号、{year} 年度、{agency} 评审机构、{count} 中心数、{date} 公示名单生成日期；公示期、异议方式和联系方式请直接写入正文。</source>
        <translation>Placeholders: {round_title} the round&apos;s title, {round_id} its id, {year} the year, {agency} the agency, {count} the number of centers, {date} the day the list is made; write the period, how to object and the contact into the text itself.</translation>
    </message>
    <message>
        <source>保存公示说明(&amp;V)</source>
        <translation>Sa&amp;ve notice</translation>
    </message>
    <message>
        <source>保存公示说明</source>
        <translation>Save notice</translation>
    </message>
    <message>
        <source>恢复默认文本</source>
        <translation>Default text</translation>
    </message>
    <message>
        <source>恢复默认公示说明</source>
        <translation>Restore the default notice</translation>
    </message>
    <message>
        <source>导入上一轮结果(&amp;P)…</source>
        <translation>Import &amp;previous round…</translation>
    </message>
    <message>
        <source>导入上一轮结果</source>
        <translation>Import previous round</translation>
    </message>
    <message>
        <source>导出本轮文件(&amp;X)…</source>
        <translation>E&amp;xport round files…</translation>
    </message>
    <message>
        <source>导出本轮文件</source>
        <translation>Export round files</translation>
    </message>
    <message>
        <source>round.pdf、round.xlsx、round.csv、公示名单 publication.pdf / .xlsx，以及每个专家组的汇总文件</source>
        <translation>round.pdf, round.xlsx, round.csv, the publication list publication.pdf / .xlsx, and each panel&apos;s result files</translation>
    </message>
    <message>
        <source>已导入上一轮 %1 个中心的结果</source>
        <translation>Previous results of %1 centers imported</translation>
    </message>
    <message>
        <source>尚未导入上一轮结果（round.csv、results.csv 或上一轮的机构工作区）</source>
        <translation>No previous results yet (round.csv, results.csv or last round&apos;s agency workspace)</translation>
    </message>
</context>
<context>
    <name>RankingTab</name>
    <message>
        <source>评分表与中心类型(&amp;C)：</source>
        <translation>Form and &amp;center type:</translation>
    </message>
    <message>
        <source>评分表与中心类型</source>
        <translation>Form and center type</translation>
    </message>
    <message>
        <source>全轮排名</source>
        <translation>Ranking</translation>
    </message>
    <message>
        <source>专家组</source>
        <translation>Panel</translation>
    </message>
    <message>
        <source>项目编号</source>
        <translation>Proposal</translation>
    </message>
    <message>
        <source>中心名称</source>
        <translation>Center</translation>
    </message>
    <message>
        <source>最终得分</source>
        <translation>Final score</translation>
    </message>
    <message>
        <source>原始排名</source>
        <translation>Raw rank</translation>
    </message>
    <message>
        <source>原始结论</source>
        <translation>Raw conclusion</translation>
    </message>
    <message>
        <source>标准化得分</source>
        <translation>Normalised score</translation>
    </message>
    <message>
        <source>标准化排名</source>
        <translation>Normalised rank</translation>
    </message>
    <message>
        <source>标准化结论</source>
        <translation>Normalised conclusion</translation>
    </message>
    <message>
        <source>正式结论</source>
        <translation>Official conclusion</translation>
    </message>
    <message>
        <source>奖励</source>
        <translation>Award</translation>
    </message>
    <message>
        <source>上轮</source>
        <translation>Last round</translation>
    </message>
    <message>
        <source>提示</source>
        <translation>Flags</translation>
    </message>
    <message>
        <source>尚未汇总：加入批次、导入评分表后点“汇总本轮”。</source>
        <translation>Not consolidated yet: add the batches, import the sheets, then click “Consolidate round”.</translation>
    </message>
    <message>
        <source>≠ 标准化后结论不同</source>
        <translation>≠ conclusion differs when normalised</translation>
    </message>
    <message>
        <source>并列</source>
        <translation>tie</translation>
    </message>
    <message>
        <source>优秀名额已满，顺延</source>
        <translation>优秀 places taken, moved down</translation>
    </message>
    <message>
        <source>上轮整改，须复评</source>
        <translation>rectify last round: re-assess</translation>
    </message>
    <message>
        <source>共 %1 项；正式排名：%2。底色并标“≠”的项目按标准化得分的结论不同（%3 项）。</source>
        <translation>%1 in all; official ranking: %2. Shaded rows marked “≠” get another conclusion when normalised (%3).</translation>
    </message>
    <message>
        <source>原始最终得分</source>
        <translation>raw final scores</translation>
    </message>
</context>
<context>
    <name>ResultTexts</name>
    <message>
        <source>综合性</source>
        <translation>Comprehensive</translation>
    </message>
    <message>
        <source>专业性</source>
        <translation>Professional</translation>
    </message>
    <message>
        <source>工程中心</source>
        <translation>Engineering</translation>
    </message>
    <message>
        <source>；%1</source>
        <translation>; %1</translation>
    </message>
    <message>
        <source>待定（否决项待确认）</source>
        <translation>Open (veto awaiting the chair)</translation>
    </message>
    <message>
        <source>%1（限额调整）</source>
        <translation>%1 (capped)</translation>
    </message>
    <message>
        <source>待定</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>奖励 %1 万元</source>
        <translation>Award %1 × 10,000 CNY</translation>
    </message>
    <message>
        <source>奖励 %1 元</source>
        <translation>Award %1 CNY</translation>
    </message>
</context>
<context>
    <name>ResultsExport</name>
    <message>
        <source>导出中 %p%</source>
        <translation>Exporting %p%</translation>
    </message>
    <message>
        <source>导出汇总结果…</source>
        <translation>Export results…</translation>
    </message>
    <message>
        <source>导出失败</source>
        <translation>Export failed</translation>
    </message>
    <message>
        <source>选择导出汇总结果的文件夹</source>
        <translation>Choose the folder for the results</translation>
    </message>
    <message>
        <source>导出完成</source>
        <translation>Export complete</translation>
    </message>
    <message>
        <source>已写入并核验以下文件：
%1</source>
        <translation>Written and verified:
%1</translation>
    </message>
    <message>
        <source>打开文件夹</source>
        <translation>Open folder</translation>
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
        <source>评分概览</source>
        <translation>Scores overview</translation>
    </message>
    <message>
        <source>导出进度</source>
        <translation>Export progress</translation>
    </message>
    <message>
        <source>取消导出</source>
        <translation>Cancel export</translation>
    </message>
    <message>
        <source>在签名之前停止导出：不签名，也不写入任何文件</source>
        <translation>Stop the export before signing: nothing is signed or written</translation>
    </message>
    <message>
        <source>导出到(&amp;T)：</source>
        <translation>Export &amp;to:</translation>
    </message>
    <message>
        <source>输入或选择导出文件夹（如 U 盘）</source>
        <translation>Type or choose the export folder (e.g. a USB stick)</translation>
    </message>
    <message>
        <source>导出文件夹</source>
        <translation>Export folder</translation>
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
        <source>结论与总分所在分档不一致：须在评分表中填写理由，组织机构可见。</source>
        <translation>The conclusion differs from the band of the total: the sheet must give the reason, which the agency sees.</translation>
    </message>
    <message>
        <source>%1（≠ 分档）</source>
        <translation>%1 (≠ band)</translation>
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
        <source>请输入您的密钥口令，用于对评分表签名。</source>
        <translation>Enter your key passphrase to sign the score sheet.</translation>
    </message>
    <message>
        <source>选择导出文件夹</source>
        <translation>Choose the export folder</translation>
    </message>
</context>
<context>
    <name>ReviewExport</name>
    <message>
        <source>导出失败</source>
        <translation>Export failed</translation>
    </message>
    <message>
        <source>正在生成 PDF、签名、加密、写入并核验评分表（第 %1 版）…</source>
        <translation>Making the PDFs, signing, encrypting, writing and verifying the score sheet (revision %1)…</translation>
    </message>
    <message>
        <source>正在生成第 %1 / %2 个项目的评分表 PDF（第 %3 版）…</source>
        <translation>Making the score-sheet PDF of proposal %1 / %2 (revision %3)…</translation>
    </message>
    <message>
        <source>正在生成承诺书 PDF…</source>
        <translation>Making the pledge PDF…</translation>
    </message>
    <message>
        <source>正在签名、加密、写入并核验评分表（第 %1 版）…</source>
        <translation>Signing, encrypting, writing and verifying the score sheet (revision %1)…</translation>
    </message>
    <message>
        <source>正在取消导出…</source>
        <translation>Cancelling the export…</translation>
    </message>
    <message>
        <source>导出完成</source>
        <translation>Export complete</translation>
    </message>
    <message>
        <source>已取消导出</source>
        <translation>Export cancelled</translation>
    </message>
    <message>
        <source>内部错误：%1</source>
        <translation>Internal error: %1</translation>
    </message>
</context>
<context>
    <name>RoundJobs</name>
    <message>
        <source>选择评分表文件（可多选，各组的都可以）</source>
        <translation>Choose score sheet files (several, of any panel)</translation>
    </message>
    <message>
        <source>评分表 (*.ticsheet)</source>
        <translation>Score sheets (*.ticsheet)</translation>
    </message>
    <message>
        <source>正在导入评分表…</source>
        <translation>Importing score sheets…</translation>
    </message>
    <message>
        <source>%1：属于不在本轮中的批次 %2</source>
        <translation>%1: belongs to batch %2, which is not in this round</translation>
    </message>
    <message>
        <source>已导入 %1 个文件，未使用 %2 个。</source>
        <translation>%1 files imported, %2 not used.</translation>
    </message>
    <message>
        <source>部分评分表未使用</source>
        <translation>Some sheets were not used</translation>
    </message>
    <message>
        <source>操作失败</source>
        <translation>Failed</translation>
    </message>
    <message>
        <source>正在汇总本轮…</source>
        <translation>Consolidating the round…</translation>
    </message>
    <message>
        <source>已汇总：%1 个专家组，%2 项；标准化后结论不同 %3 项。</source>
        <translation>Consolidated: %1 panels, %2 rows; %3 conclusions differ when normalised.</translation>
    </message>
    <message>
        <source>选择上一轮的 round.csv、results.csv 或 agency.db</source>
        <translation>Choose last round&apos;s round.csv, results.csv or agency.db</translation>
    </message>
    <message>
        <source>上一轮结果 (*.csv agency.db)</source>
        <translation>Previous results (*.csv agency.db)</translation>
    </message>
    <message>
        <source>正在读取上一轮结果…</source>
        <translation>Reading the previous results…</translation>
    </message>
    <message>
        <source>无法导入上一轮结果</source>
        <translation>Cannot import the previous results</translation>
    </message>
    <message>
        <source>选择导出文件夹</source>
        <translation>Choose the export folder</translation>
    </message>
    <message>
        <source>正在导出本轮文件…</source>
        <translation>Exporting the round&apos;s files…</translation>
    </message>
    <message>
        <source>已写入 %1 个文件到 %2</source>
        <translation>%1 files written to %2</translation>
    </message>
</context>
<context>
    <name>RoundPage</name>
    <message>
        <source>评审轮次(&amp;R)：</source>
        <translation>Evaluation &amp;round:</translation>
    </message>
    <message>
        <source>评审轮次</source>
        <translation>Evaluation round</translation>
    </message>
    <message>
        <source>新建轮次…</source>
        <translation>New round…</translation>
    </message>
    <message>
        <source>新建评审轮次</source>
        <translation>New evaluation round</translation>
    </message>
    <message>
        <source>加入批次…</source>
        <translation>Add batches…</translation>
    </message>
    <message>
        <source>加入批次</source>
        <translation>Add batches</translation>
    </message>
    <message>
        <source>导入评分表(&amp;I)…</source>
        <translation>&amp;Import sheets…</translation>
    </message>
    <message>
        <source>导入本轮评分表</source>
        <translation>Import the round&apos;s sheets</translation>
    </message>
    <message>
        <source>汇总本轮(&amp;H)</source>
        <translation>Consolidate round</translation>
    </message>
    <message>
        <source>汇总本轮</source>
        <translation>Consolidate round</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>取消导入</source>
        <translation>Cancel import</translation>
    </message>
    <message>
        <source>进度</source>
        <translation>Progress</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>本轮结果</source>
        <translation>Round results</translation>
    </message>
    <message>
        <source>全轮排名</source>
        <translation>Ranking</translation>
    </message>
    <message>
        <source>专家组效应</source>
        <translation>Panel effects</translation>
    </message>
    <message>
        <source>正式排名</source>
        <translation>Official ranking</translation>
    </message>
    <message>
        <source>决定与异议</source>
        <translation>Decisions and objections</translation>
    </message>
    <message>
        <source>公示与导出</source>
        <translation>Publication and export</translation>
    </message>
    <message>
        <source>尚无评审轮次：点“新建轮次…”</source>
        <translation>No round yet: click “New round…”</translation>
    </message>
    <message>
        <source>本轮 %1 个专家组：%2</source>
        <translation>%1 panels in this round: %2</translation>
    </message>
    <message>
        <source>%1（%2 份评分表）</source>
        <translation>%1 (%2 sheets)</translation>
    </message>
    <message>
        <source>尚未加入批次</source>
        <translation>no batch added yet</translation>
    </message>
    <message>
        <source>出现意外错误：%1</source>
        <translation>Unexpected error: %1</translation>
    </message>
    <message>
        <source>需要机构密钥</source>
        <translation>Agency keys needed</translation>
    </message>
    <message>
        <source>请先在“机构密钥”页生成或恢复机构密钥。</source>
        <translation>Create or restore the agency keys on the “Agency keys” page first.</translation>
    </message>
    <message>
        <source>无法新建评审轮次</source>
        <translation>Cannot create the round</translation>
    </message>
    <message>
        <source>无法加入批次</source>
        <translation>Cannot add the batch</translation>
    </message>
    <message>
        <source>无法保存正式排名</source>
        <translation>Cannot save the official ranking</translation>
    </message>
    <message>
        <source>无法记录决定</source>
        <translation>Cannot record the decision</translation>
    </message>
    <message>
        <source>无法记录异议</source>
        <translation>Cannot record the objection</translation>
    </message>
    <message>
        <source>无法办结</source>
        <translation>Cannot settle</translation>
    </message>
    <message>
        <source>无法保存公示说明</source>
        <translation>Cannot save the notice</translation>
    </message>
    <message>
        <source>公示说明已保存。</source>
        <translation>Notice saved.</translation>
    </message>
</context>
<context>
    <name>ScanPage</name>
    <message>
        <source>添加扫描件…</source>
        <translation>Add scans…</translation>
    </message>
    <message>
        <source>添加扫描文件夹…</source>
        <translation>Add a scan folder…</translation>
    </message>
    <message>
        <source>人工匹配…</source>
        <translation>Match by hand…</translation>
    </message>
    <message>
        <source>把二维码无法识别的扫描页指定给某位专家的某个项目评分表（须填写理由，记入审计日志）</source>
        <translation>Assign a page whose QR code cannot be read to an expert&apos;s sheet of a proposal (a reason is required and kept in the audit log)</translation>
    </message>
    <message>
        <source>导出核对表…</source>
        <translation>Export the checklist…</translation>
    </message>
    <message>
        <source>扫描专家亲笔签名的评分表打印件（PDF，或 JPEG / PNG / TIFF 图像，200–300 dpi，页序与方向不限），每页右下角的二维码与已导入的评分表逐页核对。扫描文件按 SHA-256 保存在机构工作区，不会被覆盖。</source>
        <translation>Scan the printed score sheets the experts signed by hand (PDF, or JPEG / PNG / TIFF images, 200–300 dpi, any page order and orientation): the QR code in each page&apos;s lower right corner is checked against the imported sheets, page by page. The scan files are kept in the agency workspace by SHA-256 and never overwritten.</translation>
    </message>
    <message>
        <source>核对表（每位专家、每个项目）</source>
        <translation>Checklist (per expert and proposal)</translation>
    </message>
    <message>
        <source>专家</source>
        <translation>Expert</translation>
    </message>
    <message>
        <source>项目</source>
        <translation>Proposal</translation>
    </message>
    <message>
        <source>版本</source>
        <translation>Revision</translation>
    </message>
    <message>
        <source>核对结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>已有页</source>
        <translation>Pages on paper</translation>
    </message>
    <message>
        <source>缺页</source>
        <translation>Missing pages</translation>
    </message>
    <message>
        <source>核对表</source>
        <translation>Checklist</translation>
    </message>
    <message>
        <source>需要人工处理的扫描页</source>
        <translation>Scanned pages that need a person</translation>
    </message>
    <message>
        <source>缩略图</source>
        <translation>Thumbnail</translation>
    </message>
    <message>
        <source>扫描文件</source>
        <translation>Scan file</translation>
    </message>
    <message>
        <source>页</source>
        <translation>Page</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>二维码内容</source>
        <translation>QR code</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>请先选择批次</source>
        <translation>Choose a batch first</translation>
    </message>
    <message>
        <source>全部 %1 页</source>
        <translation>all %1 pages</translation>
    </message>
    <message>
        <source>（共 %1 页）</source>
        <translation> (of %1 pages)</translation>
    </message>
    <message>
        <source>全部</source>
        <translation>all</translation>
    </message>
    <message>
        <source>✔ 已匹配</source>
        <translation>✔ matched</translation>
    </message>
    <message>
        <source>✘ 缺纸件</source>
        <translation>✘ no paper</translation>
    </message>
    <message>
        <source>✘ 只有旧版本纸件（须重新签字）</source>
        <translation>✘ only older paper (must be signed again)</translation>
    </message>
    <message>
        <source>第 %1 版</source>
        <translation>revision %1</translation>
    </message>
    <message>
        <source>扫描文件 %1 个 · 已匹配 %2 页 · 待处理 %3 页 · 纸件齐全 %4 / %5 份</source>
        <translation>%1 scan files · %2 pages matched · %3 pages to check · paper complete for %4 / %5 sheets</translation>
    </message>
    <message>
        <source>已匹配</source>
        <translation>matched</translation>
    </message>
    <message>
        <source>旧版本纸件</source>
        <translation>older revision</translation>
    </message>
    <message>
        <source>无对应记录</source>
        <translation>no record</translation>
    </message>
    <message>
        <source>无法识别</source>
        <translation>unreadable</translation>
    </message>
    <message>
        <source>缺纸件</source>
        <translation>no paper</translation>
    </message>
    <message>
        <source>正在识别扫描页…</source>
        <translation>Reading the scanned pages…</translation>
    </message>
    <message>
        <source>正在识别扫描页 %1 / %2</source>
        <translation>Reading scanned page %1 / %2</translation>
    </message>
    <message>
        <source>部分扫描文件无法读取</source>
        <translation>Some scan files cannot be read</translation>
    </message>
    <message>
        <source>无法读取扫描件</source>
        <translation>The scans cannot be read</translation>
    </message>
    <message>
        <source>无法人工匹配</source>
        <translation>Cannot match by hand</translation>
    </message>
    <message>
        <source>无法导出核对表</source>
        <translation>Cannot export the checklist</translation>
    </message>
    <message>
        <source>已导出核对表</source>
        <translation>Checklist exported</translation>
    </message>
    <message>
        <source>添加扫描件</source>
        <translation>Add scans</translation>
    </message>
    <message>
        <source>扫描件 (%1)</source>
        <translation>Scans (%1)</translation>
    </message>
    <message>
        <source>添加扫描文件夹</source>
        <translation>Add a scan folder</translation>
    </message>
    <message>
        <source>导出核对表</source>
        <translation>Export the checklist</translation>
    </message>
</context>
<context>
    <name>ScanPages</name>
    <message>
        <source>纸质核对</source>
        <translation>Paper check</translation>
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
        <source>已签名 · 只读&#x3000;如需修改，请在“审核并签名”中点击“修订”（生成新版本）。</source>
        <translation>Signed · read-only. To change it, choose Revise in Review and sign (a new revision).</translation>
    </message>
    <message>
        <source>评分项</source>
        <translation>Score items</translation>
    </message>
    <message>
        <source>版本 {version}</source>
        <translation>Version {version}</translation>
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
    <name>SheetImportPage</name>
    <message>
        <source>添加文件…</source>
        <translation>Add files…</translation>
    </message>
    <message>
        <source>添加文件夹…</source>
        <translation>Add folder…</translation>
    </message>
    <message>
        <source>导入密钥登记…</source>
        <translation>Import key register…</translation>
    </message>
    <message>
        <source>从 allowed_signers 文件预先登记各位专家的密钥</source>
        <translation>Enrol the experts&apos; keys in advance from an allowed_signers file</translation>
    </message>
    <message>
        <source>登记专家密钥…</source>
        <translation>Enrol an expert&apos;s key…</translation>
    </message>
    <message>
        <source>照《评审专家密钥登记表》输入密钥指纹或扫描其二维码，预先登记一位专家的密钥</source>
        <translation>Enrol one expert&apos;s key in advance: type the fingerprint from the key enrolment sheet or scan its QR code</translation>
    </message>
    <message>
        <source>更换密钥…</source>
        <translation>Rotate key…</translation>
    </message>
    <message>
        <source>专家换了新密钥：按新的登记表更换，旧密钥此后不再有效</source>
        <translation>An expert has a new key: rotate it from the new enrolment sheet; the old key is no longer valid</translation>
    </message>
    <message>
        <source>吊销密钥…</source>
        <translation>Revoke key…</translation>
    </message>
    <message>
        <source>吊销一位专家的密钥（丢失、被盗、退出评审），此后由它签名的评分表一律拒收</source>
        <translation>Revoke an expert&apos;s key (lost, stolen, left the panel); sheets signed with it are refused from now on</translation>
    </message>
    <message>
        <source>处理冲突…</source>
        <translation>Resolve conflicts…</translation>
    </message>
    <message>
        <source>导入演示评分表</source>
        <translation>Import the demo sheets</translation>
    </message>
    <message>
        <source>专家密钥：</source>
        <translation>Expert keys:</translation>
    </message>
    <message>
        <source>也可以把评分表文件（.ticsheet）或整个文件夹拖放到此页面。同一文件重复导入不会产生任何变化；任何评分表都不会被覆盖或丢弃。</source>
        <translation>You can also drag score sheet files (.ticsheet) or whole folders onto this page. Importing the same file again changes nothing; no sheet is ever overwritten or discarded.</translation>
    </message>
    <message>
        <source>导入记录</source>
        <translation>Import log</translation>
    </message>
    <message>
        <source>各专家评分表（全部版本）</source>
        <translation>Each expert&apos;s sheets (all revisions)</translation>
    </message>
    <message>
        <source>各专家评分表版本</source>
        <translation>Every expert&apos;s sheet revisions</translation>
    </message>
    <message>
        <source>正在生成演示评分表…</source>
        <translation>Making the demo sheets…</translation>
    </message>
    <message>
        <source>演示：各位专家返回的评分表在 {0}；导入时按其密钥登记表登记密钥（已登记了其他密钥的专家除外，例如您在专家评审演示中签名的评分表）。</source>
        <translation>Demo: the experts&apos; returned sheets are in {0}; their keys are registered from their enrolment sheets when they are imported (except experts who already have another key registered, e.g. the sheet you signed in the expert demo).</translation>
    </message>
    <message>
        <source>全部专家</source>
        <translation>All experts</translation>
    </message>
    <message>
        <source>正在导入</source>
        <translation>Import running</translation>
    </message>
    <message>
        <source>请等当前导入完成后再添加文件。</source>
        <translation>Wait for the current import to finish before adding files.</translation>
    </message>
    <message>
        <source>正在导入评分表…</source>
        <translation>Importing score sheets…</translation>
    </message>
    <message>
        <source>导入已取消</source>
        <translation>Import cancelled</translation>
    </message>
    <message>
        <source>已处理 %1 个文件；其余文件没有导入，可以稍后再添加。</source>
        <translation>%1 files were processed; the others were not imported and can be added later.</translation>
    </message>
    <message>
        <source>导入失败</source>
        <translation>Import failed</translation>
    </message>
    <message>
        <source>不能信任此密钥</source>
        <translation>This key cannot be trusted</translation>
    </message>
    <message>
        <source>选择评分表文件</source>
        <translation>Choose score sheet files</translation>
    </message>
    <message>
        <source>评分表 (*.ticsheet);;所有文件 (*)</source>
        <translation>Score sheets (*.ticsheet);;All files (*)</translation>
    </message>
    <message>
        <source>选择存放评分表的文件夹</source>
        <translation>Choose the folder holding the score sheets</translation>
    </message>
    <message>
        <source>冲突未能处理</source>
        <translation>The conflict was not resolved</translation>
    </message>
    <message>
        <source>正在导入评分表 %1 / %2</source>
        <translation>Importing score sheets %1 / %2</translation>
    </message>
    <message>
        <source>已收到 %1 / %2 位专家的评分表</source>
        <translation>Sheets received from %1 / %2 experts</translation>
    </message>
    <message>
        <source>；%1 处冲突待处理</source>
        <translation>; %1 conflicts to resolve</translation>
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
        <source>技术细节：%1</source>
        <translation>Technical detail: %1</translation>
    </message>
    <message>
        <source>专家评审</source>
        <translation>Expert review</translation>
    </message>
    <message>
        <source>评审专家：打开批次文件，评分并签名</source>
        <translation>Experts: open a batch file, score and sign</translation>
    </message>
    <message>
        <source>机构汇总</source>
        <translation>Agency</translation>
    </message>
    <message>
        <source>评审组织机构：机构密钥、生成批次、导入评分表并汇总</source>
        <translation>Agencies: keys, building batches, importing and consolidating score sheets</translation>
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
    <name>VetoDialog</name>
    <message>
        <source>确认否决</source>
        <translation>Confirm veto</translation>
    </message>
    <message>
        <source>不予采纳否决</source>
        <translation>Do not uphold the veto</translation>
    </message>
    <message>
        <source>确认否决后，“%1”的结论将按否决项定为最低等级。</source>
        <translation>Once confirmed, the conclusion for “%1” is set to the lowest level because of the veto.</translation>
    </message>
    <message>
        <source>不予采纳后，“%1”的结论按最终得分确定。</source>
        <translation>If not upheld, the conclusion for “%1” follows its final score.</translation>
    </message>
    <message>
        <source>否决项：%1
提出专家：%2</source>
        <translation>Veto: %1
Raised by: %2</translation>
    </message>
    <message>
        <source>理由（必填，写入汇总报告和审计日志）：</source>
        <translation>Reason (required; printed in the report and recorded in the audit log):</translation>
    </message>
    <message>
        <source>决定人：</source>
        <translation>Decided by:</translation>
    </message>
    <message>
        <source>不予采纳</source>
        <translation>Not upheld</translation>
    </message>
</context>
<context>
    <name>VetoPanel</name>
    <message>
        <source>确认否决</source>
        <translation>Confirm veto</translation>
    </message>
    <message>
        <source>不予采纳</source>
        <translation>Not upheld</translation>
    </message>
    <message>
        <source>待组长确认</source>
        <translation>Awaiting the chair&apos;s decision</translation>
    </message>
    <message>
        <source>已确认否决：%1</source>
        <translation>Veto confirmed: %1</translation>
    </message>
    <message>
        <source>不予采纳：%1</source>
        <translation>Not upheld: %1</translation>
    </message>
    <message>
        <source>%1
提出专家：%2
%3</source>
        <translation>%1
Raised by: %2
%3</translation>
    </message>
    <message>
        <source>没有专家提出否决项。</source>
        <translation>No expert raised a veto.</translation>
    </message>
    <message>
        <source>否决项（%1）</source>
        <translation>Vetoes (%1)</translation>
    </message>
    <message>
        <source>否决项</source>
        <translation>Vetoes</translation>
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
