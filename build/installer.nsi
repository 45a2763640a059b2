; TIC Desktop installer (NSIS 3, Modern UI 2, Unicode; Simplified Chinese and English).
;
;   makensis -DVERSION=0.1.0 -DDIST_DIR=dist/tic-desktop -DOUTFILE=dist/tic-desktop-0.1.0-setup.exe build/installer.nsi
;
; VERSION is tic_desktop.__version__ (build/release.py passes it), DIST_DIR the PyInstaller
; one-folder bundle. CI on Linux compiles this script against the Linux bundle to prove it
; compiles; the Windows payload comes from the Windows runner (.github/workflows/release.yml).
;
; Install (no administrator rights needed):
;   per user (default)   $LOCALAPPDATA\Programs\TIC Desktop, HKCU\Software\Classes, HKCU uninstall entry
;   per machine          /ALLUSERS (run elevated): $PROGRAMFILES64\TIC Desktop, HKLM
;   silent               /S  (with /ALLUSERS for per machine; /D=DIR last to choose the folder)
; Uninstall keeps the expert's workspace (%LOCALAPPDATA%\TICDesktop) unless the checkbox on the
; uninstaller's page is ticked or /REMOVEDATA is given (silent: Uninstall.exe /S /REMOVEDATA).
; An upgrade runs the previous version's uninstaller silently first; that keeps the workspace.

; Relative DIST_DIR and OUTFILE are relative to the repository root: makensis starts in the
; script's folder (build/), unless given /NOCD.
!cd ".."

!ifdef AMD64
  ; a 64-bit installer (the app is 64-bit only): build/wine_check.sh uses it where Wine has no
  ; 32-bit support (Debian's wine64 alone); the released installer keeps the x86 stub
  Target amd64-unicode
!else
  Unicode true
!endif
ManifestDPIAware true
SetCompressor /SOLID lzma
; one LZMA stream over the whole bundle; a 64 MB dictionary (default 8) lets it match across
; the large Qt and ICU libraries (the installer needs as much memory to unpack it)
SetCompressorDictSize 64
RequestExecutionLevel user

!ifndef VERSION
  !error "pass -DVERSION=x.y.z (tic_desktop.__version__)"
!endif
!ifndef DIST_DIR
  !error "pass -DDIST_DIR=path/to/dist/tic-desktop (the PyInstaller bundle)"
!endif
!ifndef OUTFILE
  !define OUTFILE "tic-desktop-${VERSION}-setup.exe"
!endif
!ifndef VERSION_4
  !define VERSION_4 "${VERSION}.0"
!endif

!define APP_NAME "TIC Desktop"
!define APP_NAME_ZH "天津市技术创新中心专家评审"
!define APP_EXE "tic-desktop.exe"
!define APP_ID "TICDesktop"
!define PUBLISHER "TIC Desktop"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"
!define APP_ICON "$INSTDIR\_internal\resources\icons\tic-desktop.ico"
!define DATA_DIR_NAME "TICDesktop"

!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"
!include "nsDialogs.nsh"
!include "x64.nsh"

Name "${APP_NAME} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP_NAME}"
BrandingText "${APP_NAME} ${VERSION}"
ShowInstDetails show
ShowUninstDetails show

VIProductVersion "${VERSION_4}"
VIAddVersionKey /LANG=2052 "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=2052 "FileDescription" "${APP_NAME} 安装程序"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "© ${PUBLISHER}"

!define MUI_ICON "${DIST_DIR}\_internal\resources\icons\tic-desktop.ico"
!define MUI_UNICON "${DIST_DIR}\_internal\resources\icons\tic-desktop.ico"
!define MUI_ABORTWARNING
!define MUI_LANGDLL_ALLLANGUAGES
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"

Var AllUsers
Var RemoveData
Var RemoveDataBox

; ── pages ───────────────────────────────────────────────────────────────────────────────────
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
UninstPage custom un.DataPage un.DataPageLeave
!insertmacro MUI_UNPAGE_INSTFILES

; the first language is the default: Chinese
!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_RESERVEFILE_LANGDLL

LangString ADMIN_NEEDED ${LANG_SIMPCHINESE} "为所有用户安装（/ALLUSERS）需要管理员权限。请以管理员身份运行，或不加 /ALLUSERS 仅为当前用户安装。"
LangString ADMIN_NEEDED ${LANG_ENGLISH} "Installing for all users (/ALLUSERS) needs administrator rights. Run as administrator, or leave out /ALLUSERS to install for the current user only."
LangString UPGRADING ${LANG_SIMPCHINESE} "正在卸载旧版本（保留您的评审数据）…"
LangString UPGRADING ${LANG_ENGLISH} "Removing the previous version (your review data is kept)…"
LangString BATCH_TYPE ${LANG_SIMPCHINESE} "TIC 评审批次"
LangString BATCH_TYPE ${LANG_ENGLISH} "TIC review batch"
LangString SHEET_TYPE ${LANG_SIMPCHINESE} "TIC 专家评分表"
LangString SHEET_TYPE ${LANG_ENGLISH} "TIC expert score sheet"
LangString DATA_TITLE ${LANG_SIMPCHINESE} "评审数据"
LangString DATA_TITLE ${LANG_ENGLISH} "Review data"
LangString DATA_SUBTITLE ${LANG_SIMPCHINESE} "是否同时删除您的评审数据？"
LangString DATA_SUBTITLE ${LANG_ENGLISH} "Remove your review data as well?"
LangString DATA_TEXT ${LANG_SIMPCHINESE} "您的评审工作区（评分、签名密钥、已导出评分表的副本）保存在：$\r$\n$\r$\n$LOCALAPPDATA\${DATA_DIR_NAME}$\r$\n$\r$\n默认保留，以后重新安装即可继续。"
LangString DATA_TEXT ${LANG_ENGLISH} "Your review workspace (scores, signing key, copies of exported score sheets) is in:$\r$\n$\r$\n$LOCALAPPDATA\${DATA_DIR_NAME}$\r$\n$\r$\nIt is kept unless you tick the box; reinstall to carry on."
LangString DATA_CHECK ${LANG_SIMPCHINESE} "同时删除我的评审数据（不可恢复）"
LangString DATA_CHECK ${LANG_ENGLISH} "Also remove my review data (cannot be undone)"

; ── install ─────────────────────────────────────────────────────────────────────────────────
Function .onInit
  !insertmacro MUI_LANGDLL_DISPLAY
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/ALLUSERS" $R1
  ${IfNot} ${Errors}
    StrCpy $AllUsers 1
  ${Else}
    StrCpy $AllUsers 0
  ${EndIf}
  ${If} $AllUsers == 1
    UserInfo::GetAccountType
    Pop $R2
    ${If} $R2 != "admin"
      MessageBox MB_ICONSTOP|MB_OK "$(ADMIN_NEEDED)" /SD IDOK
      SetErrorLevel 740 ; ERROR_ELEVATION_REQUIRED
      Quit
    ${EndIf}
    SetShellVarContext all
    ${If} ${RunningX64}
      StrCpy $INSTDIR "$PROGRAMFILES64\${APP_NAME}"
    ${Else}
      StrCpy $INSTDIR "$PROGRAMFILES\${APP_NAME}"
    ${EndIf}
  ${Else}
    SetShellVarContext current
  ${EndIf}
  ; an upgrade installs where the previous version is (SHCTX: HKLM for all users, else HKCU)
  ReadRegStr $R3 SHCTX "${UNINST_KEY}" "InstallLocation"
  ${If} $R3 != ""
    StrCpy $INSTDIR $R3
  ${EndIf}
FunctionEnd

Section "-RemovePrevious"
  ReadRegStr $R0 SHCTX "${UNINST_KEY}" "UninstallString"
  ReadRegStr $R1 SHCTX "${UNINST_KEY}" "InstallLocation"
  ${If} $R0 != ""
  ${AndIf} $R1 != ""
  ${AndIf} ${FileExists} "$R1\Uninstall.exe"
    DetailPrint "$(UPGRADING)"
    ; _?= runs it in place and waits; without /REMOVEDATA it keeps the workspace
    ExecWait '"$R1\Uninstall.exe" /S _?=$R1' $R2
    Delete "$R1\Uninstall.exe"
    RMDir "$R1"
  ${EndIf}
SectionEnd

Section "-Install"
  SetOutPath "$INSTDIR"
  File /r "${DIST_DIR}\*.*"
  WriteUninstaller "$INSTDIR\Uninstall.exe"

  ; Start menu and desktop
  CreateDirectory "$SMPROGRAMS\${APP_NAME}"
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "${APP_ICON}" 0
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\${APP_NAME} 演示 Demo.lnk" "$INSTDIR\${APP_EXE}" "--demo" "${APP_ICON}" 0
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\卸载 Uninstall ${APP_NAME}.lnk" "$INSTDIR\Uninstall.exe"
  CreateShortcut "$DESKTOP\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "${APP_ICON}" 0

  ; file associations (Software\Classes under HKCU per user, HKLM per machine)
  WriteRegStr SHCTX "Software\Classes\.ticbatch" "" "${APP_ID}.Batch"
  WriteRegStr SHCTX "Software\Classes\.ticbatch" "Content Type" "application/vnd.tic.batch"
  WriteRegStr SHCTX "Software\Classes\${APP_ID}.Batch" "" "$(BATCH_TYPE)"
  WriteRegStr SHCTX "Software\Classes\${APP_ID}.Batch\DefaultIcon" "" '"${APP_ICON}",0'
  WriteRegStr SHCTX "Software\Classes\${APP_ID}.Batch\shell\open\command" "" '"$INSTDIR\${APP_EXE}" "%1"'
  WriteRegStr SHCTX "Software\Classes\.ticsheet" "" "${APP_ID}.Sheet"
  WriteRegStr SHCTX "Software\Classes\.ticsheet" "Content Type" "application/vnd.tic.sheet"
  WriteRegStr SHCTX "Software\Classes\${APP_ID}.Sheet" "" "$(SHEET_TYPE)"
  WriteRegStr SHCTX "Software\Classes\${APP_ID}.Sheet\DefaultIcon" "" '"${APP_ICON}",0'
  WriteRegStr SHCTX "Software\Classes\${APP_ID}.Sheet\shell\open\command" "" '"$INSTDIR\${APP_EXE}" "%1"'
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)' ; SHCNE_ASSOCCHANGED

  ; Apps & features
  WriteRegStr SHCTX "${UNINST_KEY}" "DisplayName" "${APP_NAME} · ${APP_NAME_ZH}"
  WriteRegStr SHCTX "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr SHCTX "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr SHCTX "${UNINST_KEY}" "DisplayIcon" "${APP_ICON}"
  WriteRegStr SHCTX "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr SHCTX "${UNINST_KEY}" "UninstallString" '"$INSTDIR\Uninstall.exe"'
  WriteRegStr SHCTX "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\Uninstall.exe" /S'
  WriteRegDWORD SHCTX "${UNINST_KEY}" "AllUsers" $AllUsers
  WriteRegDWORD SHCTX "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD SHCTX "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD SHCTX "${UNINST_KEY}" "EstimatedSize" "$0"
SectionEnd

; ── uninstall ───────────────────────────────────────────────────────────────────────────────
Function un.onInit
  !insertmacro MUI_UNGETLANGUAGE
  StrCpy $RemoveData 0
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/REMOVEDATA" $R1
  ${IfNot} ${Errors}
    StrCpy $RemoveData 1
  ${EndIf}
  ; per machine when HKLM holds our entry and we run elevated; otherwise per user
  SetShellVarContext current
  ReadRegStr $R2 HKLM "${UNINST_KEY}" "InstallLocation"
  ${If} $R2 == $INSTDIR
    UserInfo::GetAccountType
    Pop $R3
    ${If} $R3 == "admin"
      SetShellVarContext all
    ${EndIf}
  ${EndIf}
FunctionEnd

Function un.DataPage
  !insertmacro MUI_HEADER_TEXT "$(DATA_TITLE)" "$(DATA_SUBTITLE)"
  nsDialogs::Create 1018
  Pop $0
  ${NSD_CreateLabel} 0 0 100% 60% "$(DATA_TEXT)"
  Pop $0
  ${NSD_CreateCheckbox} 0 65% 100% 12u "$(DATA_CHECK)"
  Pop $RemoveDataBox
  ${If} $RemoveData == 1
    ${NSD_Check} $RemoveDataBox
  ${EndIf}
  nsDialogs::Show
FunctionEnd

Function un.DataPageLeave
  ${NSD_GetState} $RemoveDataBox $0
  ${If} $0 == ${BST_CHECKED}
    StrCpy $RemoveData 1
  ${Else}
    StrCpy $RemoveData 0
  ${EndIf}
FunctionEnd

Section "Uninstall"
  Delete "$DESKTOP\${APP_NAME}.lnk"
  RMDir /r "$SMPROGRAMS\${APP_NAME}"

  ; only our own associations: a ProgID another program took over stays
  ReadRegStr $0 SHCTX "Software\Classes\.ticbatch" ""
  ${If} $0 == "${APP_ID}.Batch"
    DeleteRegKey SHCTX "Software\Classes\.ticbatch"
  ${EndIf}
  ReadRegStr $0 SHCTX "Software\Classes\.ticsheet" ""
  ${If} $0 == "${APP_ID}.Sheet"
    DeleteRegKey SHCTX "Software\Classes\.ticsheet"
  ${EndIf}
  DeleteRegKey SHCTX "Software\Classes\${APP_ID}.Batch"
  DeleteRegKey SHCTX "Software\Classes\${APP_ID}.Sheet"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'

  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\Uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey SHCTX "${UNINST_KEY}"

  ; the workspace is the current user's, whatever the install mode
  ${If} $RemoveData == 1
    SetShellVarContext current
    RMDir /r "$LOCALAPPDATA\${DATA_DIR_NAME}"
  ${EndIf}
SectionEnd
